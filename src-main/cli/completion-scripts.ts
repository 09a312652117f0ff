/**
 * Shell completion scripts: commands and flags, and provider names and account ids asked of
 * `tokendeck __complete` (from the vault's readable metadata, without unlocking).
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Which names a command's first argument takes. */
const ACCOUNT_COMMANDS = 'token renew rename merge default remove request graphql';
const PROVIDER_COMMANDS = 'connect';

const BASH = `# tokendeck completion for bash: source <(tokendeck completion bash)
_tokendeck() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" sub="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      --data-dir) ((i++)) ;;
      -*) ;;
      *) if [ -z "$cmd" ]; then cmd="$word"; elif [ -z "$sub" ]; then sub="$word"; fi ;;
    esac
  done
  local words
  if [ -z "$cmd" ]; then
    words="$(tokendeck __complete commands 2>/dev/null)"
  elif [[ "$cur" == -* ]]; then
    if [ "$cmd" = provider ]; then cmd="provider $sub"; fi
    words="$(tokendeck __complete flags $cmd 2>/dev/null)"
  elif [ -z "$sub" ]; then
    case " ${ACCOUNT_COMMANDS} " in *" $cmd "*) words="$(tokendeck __complete accounts 2>/dev/null)" ;; esac
    case " ${PROVIDER_COMMANDS} " in *" $cmd "*) words="$(tokendeck __complete providers 2>/dev/null)" ;; esac
    case "$cmd" in
      provider) words="add export remove" ;;
      completion) words="bash zsh fish" ;;
      help) words="$(tokendeck __complete commands 2>/dev/null)" ;;
    esac
  elif [ "$cmd" = provider ] && [ "$sub" != add ]; then
    words="$(tokendeck __complete providers 2>/dev/null)"
  elif [ "$cmd" = merge ]; then
    words="$(tokendeck __complete accounts 2>/dev/null)"
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _tokendeck tokendeck
`;

const ZSH = `#compdef tokendeck
# tokendeck completion for zsh: source <(tokendeck completion zsh)
_tokendeck() {
  local -a words_
  local cmd="\${words[2]}" sub="\${words[3]}"
  if (( CURRENT == 2 )); then
    words_=(\${(f)"$(tokendeck __complete commands 2>/dev/null)"})
  elif [[ "\${words[CURRENT]}" == -* ]]; then
    [[ "$cmd" == provider ]] && cmd="provider $sub"
    words_=(\${(f)"$(tokendeck __complete flags \${=cmd} 2>/dev/null)"})
  elif (( CURRENT == 3 )); then
    case "$cmd" in
      ${ACCOUNT_COMMANDS.replaceAll(' ', '|')}) words_=(\${(f)"$(tokendeck __complete accounts 2>/dev/null)"}) ;;
      ${PROVIDER_COMMANDS}) words_=(\${(f)"$(tokendeck __complete providers 2>/dev/null)"}) ;;
      provider) words_=(add export remove) ;;
      completion) words_=(bash zsh fish) ;;
      help) words_=(\${(f)"$(tokendeck __complete commands 2>/dev/null)"}) ;;
    esac
  elif (( CURRENT == 4 )) && [[ "$cmd" == provider && "$sub" != add ]]; then
    words_=(\${(f)"$(tokendeck __complete providers 2>/dev/null)"})
  elif (( CURRENT == 4 )) && [[ "$cmd" == merge ]]; then
    words_=(\${(f)"$(tokendeck __complete accounts 2>/dev/null)"})
  fi
  compadd -- $words_
}
compdef _tokendeck tokendeck
`;

const FISH = `# tokendeck completion for fish: tokendeck completion fish | source
function __tokendeck_needs_command
  test (count (commandline -opc)) -eq 1
end
function __tokendeck_command_is
  set -l words (commandline -opc)
  test (count $words) -eq 2; and contains -- $words[2] $argv
end
function __tokendeck_flags
  set -l words (commandline -opc)
  set -l cmd $words[2]
  if test "$cmd" = provider; and test (count $words) -ge 3
    set cmd provider $words[3]
  end
  tokendeck __complete flags $cmd 2>/dev/null
end
complete -c tokendeck -f
complete -c tokendeck -n __tokendeck_needs_command -a '(tokendeck __complete commands 2>/dev/null)'
complete -c tokendeck -n '__tokendeck_command_is ${ACCOUNT_COMMANDS}' -a '(tokendeck __complete accounts 2>/dev/null)'
complete -c tokendeck -n '__tokendeck_command_is ${PROVIDER_COMMANDS}' -a '(tokendeck __complete providers 2>/dev/null)'
complete -c tokendeck -n '__tokendeck_command_is provider' -a 'add export remove'
complete -c tokendeck -n '__tokendeck_command_is completion' -a 'bash zsh fish'
complete -c tokendeck -n 'not __tokendeck_needs_command; and string match -q -- "-*" (commandline -ct)' -a '(__tokendeck_flags)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
