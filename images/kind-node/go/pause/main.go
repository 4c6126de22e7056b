// Command pause is the sandbox process of every pod in the kind node image: it holds the pod's
// namespaces, reaps orphaned children when it is PID 1 of a shared PID namespace, and exits on
// SIGINT/SIGTERM. Built by scripts/kind-images.sh as registry.k8s.io/pause:<PauseVersion>.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println("pause (l2lb kind node image)")
		return
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s == syscall.SIGCHLD {
			for {
				var status syscall.WaitStatus
				pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
			continue
		}
		os.Exit(0)
	}
}
