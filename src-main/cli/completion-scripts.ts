/**
 * Shell completion scripts: commands and flags, and provider names and account ids asked of
 * `tokendeck __complete` (from the vault's readable metadata, without unlocking).
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

import { COMMAND_GROUPS } from './args';

/** Which names a command's first argument takes. */
const ACCOUNT_COMMANDS = 'token renew rename merge default remove request graphql';
const PROVIDER_COMMANDS = 'connect';
/** The commands of two words (`provider add`, `env set`): each group's words after the first. */
const GROUPS = Object.entries(COMMAND_GROUPS);
const GROUP_NAMES = GROUPS.map(([group]) => group);

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
    case "$cmd" in ${GROUP_NAMES.join('|')}) cmd="$cmd $sub" ;; esac
    words="$(tokendeck __complete flags $cmd 2>/dev/null)"
  elif [ -z "$sub" ]; then
    case " ${ACCOUNT_COMMANDS} " in *" $cmd "*) words="$(tokendeck __complete accounts 2>/dev/null)" ;; esac
    case " ${PROVIDER_COMMANDS} " in *" $cmd "*) words="$(tokendeck __complete providers 2>/dev/null)" ;; esac
    case "$cmd" in
${GROUPS.map(([group, subs]) => `      ${group}) words="${subs.join(' ')}" ;;`).join('\n')}
      completion) words="bash zsh fish" ;;
      help) words="$(tokendeck __complete commands 2>/dev/null)" ;;
    esac
  elif [ "$cmd $sub" != "provider add" ] && [[ " ${GROUP_NAMES.join(' ')} " == *" $cmd "* ]]; then
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
    [[ " ${GROUP_NAMES.join(' ')} " == *" $cmd "* ]] && cmd="$cmd $sub"
    words_=(\${(f)"$(tokendeck __complete flags \${=cmd} 2>/dev/null)"})
  elif (( CURRENT == 3 )); then
    case "$cmd" in
      ${ACCOUNT_COMMANDS.replaceAll(' ', '|')}) words_=(\${(f)"$(tokendeck __complete accounts 2>/dev/null)"}) ;;
      ${PROVIDER_COMMANDS}) words_=(\${(f)"$(tokendeck __complete providers 2>/dev/null)"}) ;;
${GROUPS.map(([group, subs]) => `      ${group}) words_=(${subs.join(' ')}) ;;`).join('\n')}
      completion) words_=(bash zsh fish) ;;
      help) words_=(\${(f)"$(tokendeck __complete commands 2>/dev/null)"}) ;;
    esac
  elif (( CURRENT == 4 )) && [[ "$cmd $sub" != "provider add" && " ${GROUP_NAMES.join(' ')} " == *" $cmd "* ]]; then
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
  if contains -- "$cmd" ${GROUP_NAMES.join(' ')}; and test (count $words) -ge 3
    set cmd $cmd $words[3]
  end
  tokendeck __complete flags $cmd 2>/dev/null
end
complete -c tokendeck -f
complete -c tokendeck -n __tokendeck_needs_command -a '(tokendeck __complete commands 2>/dev/null)'
complete -c tokendeck -n '__tokendeck_command_is ${ACCOUNT_COMMANDS}' -a '(tokendeck __complete accounts 2>/dev/null)'
complete -c tokendeck -n '__tokendeck_command_is ${PROVIDER_COMMANDS}' -a '(tokendeck __complete providers 2>/dev/null)'
${GROUPS.map(([group, subs]) => `complete -c tokendeck -n '__tokendeck_command_is ${group}' -a '${subs.join(' ')}'`).join('\n')}
complete -c tokendeck -n '__tokendeck_command_is completion' -a 'bash zsh fish'
complete -c tokendeck -n 'not __tokendeck_needs_command; and string match -q -- "-*" (commandline -ct)' -a '(__tokendeck_flags)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
