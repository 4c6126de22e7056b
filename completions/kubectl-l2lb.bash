# bash completion for kubectl-l2lb: source it, or put it in
# ~/.local/share/bash-completion/completions/kubectl-l2lb
# (`kubectl l2lb <TAB>` goes through kubectl and kubectl_complete-l2lb instead.)
# Generated from the command tree by io.l2lb.cli.cmd.Completions: do not edit.
# __l2lb_candidates WORDS... PARTIAL: the candidates for PARTIAL, one a line, then
# :DIRECTIVE (4 = no file names, 0 = file names); cluster names come from
# "${__l2lb_prog:-kubectl-l2lb} __complete WORDS... PARTIAL".
__l2lb_emit() {
  for __l2lb_c in "$@"; do
    case $__l2lb_c in "$__l2lb_partial"*) printf "%s\n" "$__l2lb_c" ;; esac
  done
}
__l2lb_candidates() {
  __l2lb_cmd=
  __l2lb_pending=
  __l2lb_npos=0
  __l2lb_n=$#
  __l2lb_i=0
  __l2lb_partial=
  for __l2lb_w in "$@"; do
    __l2lb_i=$((__l2lb_i + 1))
    if [ "$__l2lb_i" -eq "$__l2lb_n" ]; then __l2lb_partial=$__l2lb_w; break; fi
    if [ -n "$__l2lb_pending" ]; then __l2lb_pending=; continue; fi
    case $__l2lb_w in
      -?*)
        case $__l2lb_w in *=*) continue ;; esac
        case "$__l2lb_cmd|$__l2lb_w" in
          "|--kubeconfig"|"|--context"|"|-n"|"|--namespace"|"|-o"|"|--output"|"|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "completion|--kubeconfig"|"completion|--context"|"completion|-n"|"completion|--namespace"|"completion|-o"|"completion|--output"|"completion|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "create|--kubeconfig"|"create|--context"|"create|-n"|"create|--namespace"|"create|-o"|"create|--output"|"create|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "create class|--pool"|"create class|--node-selector"|"create class|--interface"|"create class|--kubeconfig"|"create class|--context"|"create class|-n"|"create class|--namespace"|"create class|-o"|"create class|--output"|"create class|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "expose|--kubeconfig"|"expose|--context"|"expose|-n"|"expose|--namespace"|"expose|-o"|"expose|--output"|"expose|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "expose deployment|--port"|"expose deployment|--protocol"|"expose deployment|--name"|"expose deployment|--ips"|"expose deployment|--class"|"expose deployment|--ip"|"expose deployment|--dns-name"|"expose deployment|--kubeconfig"|"expose deployment|--context"|"expose deployment|-n"|"expose deployment|--namespace"|"expose deployment|-o"|"expose deployment|--output"|"expose deployment|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "expose svc|--ips"|"expose svc|--class"|"expose svc|--ip"|"expose svc|--dns-name"|"expose svc|--kubeconfig"|"expose svc|--context"|"expose svc|-n"|"expose svc|--namespace"|"expose svc|-o"|"expose svc|--output"|"expose svc|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "help|--kubeconfig"|"help|--context"|"help|-n"|"help|--namespace"|"help|-o"|"help|--output"|"help|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "install|--wait"|"install|--timeout"|"install|--kubeconfig"|"install|--context"|"install|-n"|"install|--namespace"|"install|-o"|"install|--output"|"install|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "simulate|--kubeconfig"|"simulate|--context"|"simulate|-n"|"simulate|--namespace"|"simulate|-o"|"simulate|--output"|"simulate|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "simulate failover|--node"|"simulate failover|--kubeconfig"|"simulate failover|--context"|"simulate failover|-n"|"simulate failover|--namespace"|"simulate failover|-o"|"simulate failover|--output"|"simulate failover|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "status|--kubeconfig"|"status|--context"|"status|-n"|"status|--namespace"|"status|-o"|"status|--output"|"status|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "uninstall|--kubeconfig"|"uninstall|--context"|"uninstall|-n"|"uninstall|--namespace"|"uninstall|-o"|"uninstall|--output"|"uninstall|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "validate|-f"|"validate|--filename"|"validate|--kubeconfig"|"validate|--context"|"validate|-n"|"validate|--namespace"|"validate|-o"|"validate|--output"|"validate|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "version|--kubeconfig"|"version|--context"|"version|-n"|"version|--namespace"|"version|-o"|"version|--output"|"version|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
          "where|--kubeconfig"|"where|--context"|"where|-n"|"where|--namespace"|"where|-o"|"where|--output"|"where|--request-timeout")
            __l2lb_pending=$__l2lb_w ;;
        esac
        continue ;;
    esac
    if [ "$__l2lb_npos" -eq 0 ]; then
      case "$__l2lb_cmd|$__l2lb_w" in
          "|completion") __l2lb_cmd="completion"; continue ;;
          "|create") __l2lb_cmd="create"; continue ;;
          "|expose") __l2lb_cmd="expose"; continue ;;
          "|help") __l2lb_cmd="help"; continue ;;
          "|install") __l2lb_cmd="install"; continue ;;
          "|simulate") __l2lb_cmd="simulate"; continue ;;
          "|status") __l2lb_cmd="status"; continue ;;
          "|uninstall") __l2lb_cmd="uninstall"; continue ;;
          "|validate") __l2lb_cmd="validate"; continue ;;
          "|version") __l2lb_cmd="version"; continue ;;
          "|where") __l2lb_cmd="where"; continue ;;
          "create|class") __l2lb_cmd="create class"; continue ;;
          "expose|deployment") __l2lb_cmd="expose deployment"; continue ;;
          "expose|svc") __l2lb_cmd="expose svc"; continue ;;
          "simulate|failover") __l2lb_cmd="simulate failover"; continue ;;
      esac
    fi
    __l2lb_npos=$((__l2lb_npos + 1))
  done
  if [ -n "$__l2lb_pending" ]; then
    case "$__l2lb_cmd|$__l2lb_pending" in
        "|--kubeconfig") printf ":0\n"; return 0 ;;
        "|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "|-n"|"|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "|-o"|"|--output") __l2lb_emit table wide json yaml ;;
        "completion|--kubeconfig") printf ":0\n"; return 0 ;;
        "completion|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "completion|-n"|"completion|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "completion|-o"|"completion|--output") __l2lb_emit table wide json yaml ;;
        "create|--kubeconfig") printf ":0\n"; return 0 ;;
        "create|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "create|-n"|"create|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "create|-o"|"create|--output") __l2lb_emit table wide json yaml ;;
        "create class|--kubeconfig") printf ":0\n"; return 0 ;;
        "create class|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "create class|-n"|"create class|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "create class|-o"|"create class|--output") __l2lb_emit table wide json yaml ;;
        "expose|--kubeconfig") printf ":0\n"; return 0 ;;
        "expose|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose|-n"|"expose|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose|-o"|"expose|--output") __l2lb_emit table wide json yaml ;;
        "expose deployment|--protocol") __l2lb_emit TCP UDP SCTP ;;
        "expose deployment|--class") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose deployment|--kubeconfig") printf ":0\n"; return 0 ;;
        "expose deployment|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose deployment|-n"|"expose deployment|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose deployment|-o"|"expose deployment|--output") __l2lb_emit table wide json yaml ;;
        "expose svc|--class") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose svc|--kubeconfig") printf ":0\n"; return 0 ;;
        "expose svc|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose svc|-n"|"expose svc|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "expose svc|-o"|"expose svc|--output") __l2lb_emit table wide json yaml ;;
        "help|--kubeconfig") printf ":0\n"; return 0 ;;
        "help|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "help|-n"|"help|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "help|-o"|"help|--output") __l2lb_emit table wide json yaml ;;
        "install|--kubeconfig") printf ":0\n"; return 0 ;;
        "install|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "install|-n"|"install|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "install|-o"|"install|--output") __l2lb_emit table wide json yaml ;;
        "simulate|--kubeconfig") printf ":0\n"; return 0 ;;
        "simulate|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "simulate|-n"|"simulate|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "simulate|-o"|"simulate|--output") __l2lb_emit table wide json yaml ;;
        "simulate failover|--node") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "simulate failover|--kubeconfig") printf ":0\n"; return 0 ;;
        "simulate failover|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "simulate failover|-n"|"simulate failover|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "simulate failover|-o"|"simulate failover|--output") __l2lb_emit table wide json yaml ;;
        "status|--kubeconfig") printf ":0\n"; return 0 ;;
        "status|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "status|-n"|"status|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "status|-o"|"status|--output") __l2lb_emit table wide json yaml ;;
        "uninstall|--kubeconfig") printf ":0\n"; return 0 ;;
        "uninstall|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "uninstall|-n"|"uninstall|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "uninstall|-o"|"uninstall|--output") __l2lb_emit table wide json yaml ;;
        "validate|-f"|"validate|--filename") printf ":0\n"; return 0 ;;
        "validate|--kubeconfig") printf ":0\n"; return 0 ;;
        "validate|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "validate|-n"|"validate|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "validate|-o"|"validate|--output") __l2lb_emit table wide json yaml ;;
        "version|--kubeconfig") printf ":0\n"; return 0 ;;
        "version|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "version|-n"|"version|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "version|-o"|"version|--output") __l2lb_emit table wide json yaml ;;
        "where|--kubeconfig") printf ":0\n"; return 0 ;;
        "where|--context") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "where|-n"|"where|--namespace") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
        "where|-o"|"where|--output") __l2lb_emit table wide json yaml ;;
      *) __l2lb_emit ;;
    esac
    printf ":4\n"
    return 0
  fi
  case $__l2lb_partial in
    -*)
      case $__l2lb_cmd in
          "") __l2lb_emit --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout -h --help -V --version ;;
          "completion") __l2lb_emit -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "create") __l2lb_emit -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "create class") __l2lb_emit --pool --node-selector --interface --default --dry-run -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "expose") __l2lb_emit -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "expose deployment") __l2lb_emit --port --protocol --name --ips --class --ip --wait --dns-name -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "expose svc") __l2lb_emit --ips --class --ip --wait --dns-name -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "help") __l2lb_emit -h --help --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "install") __l2lb_emit --dry-run --wait --timeout -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "simulate") __l2lb_emit -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "simulate failover") __l2lb_emit --node -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "status") __l2lb_emit -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "uninstall") __l2lb_emit --all -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "validate") __l2lb_emit -f --filename --offline -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "version") __l2lb_emit --client -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
          "where") __l2lb_emit -w --watch -h --help -V --version --kubeconfig --context -n --namespace -A --all-namespaces -o --output --no-color -v --verbose --request-timeout ;;
      esac
      printf ":4\n"
      return 0 ;;
  esac
  if [ "$__l2lb_npos" -eq 0 ]; then
    case $__l2lb_cmd in
        "") __l2lb_emit completion create expose help install simulate status uninstall validate version where
          printf ":4\n"
          return 0 ;;
        "create") __l2lb_emit class
          printf ":4\n"
          return 0 ;;
        "expose") __l2lb_emit deployment svc
          printf ":4\n"
          return 0 ;;
        "simulate") __l2lb_emit failover
          printf ":4\n"
          return 0 ;;
    esac
  fi
  case $__l2lb_cmd in
    "completion") __l2lb_emit bash zsh fish ;;
    "expose deployment") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
    "expose svc") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
    "simulate failover") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
    "validate") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
    "where") "${__l2lb_prog:-kubectl-l2lb}" __complete "$@" 2>/dev/null; return 0 ;;
    *) __l2lb_emit ;;
  esac
  printf ":4\n"
}
_kubectl_l2lb() {
  local cur=${COMP_WORDS[COMP_CWORD]} out directive
  out=$(__l2lb_candidates "${COMP_WORDS[@]:1:COMP_CWORD}")
  directive=${out##*:}
  out=${out%:*}
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if [ ${#COMPREPLY[@]} -eq 0 ] && [ "$directive" = 0 ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _kubectl_l2lb kubectl-l2lb
