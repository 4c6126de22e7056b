// Command coredns is CoreDNS with only the plugins that kubeadm's Corefile uses (errors, health,
// ready, kubernetes, prometheus, forward, cache, loop, reload, loadbalance) plus log, so that
// the kind node image's DNS compiles in a fraction of the full plugin set's time. Built by
// scripts/kind-images.sh as registry.k8s.io/coredns/coredns:<CoreDNSVersion>.
package main

import (
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"

	"github.com/coredns/coredns/coremain"
)

func main() {
	coremain.Run()
}
