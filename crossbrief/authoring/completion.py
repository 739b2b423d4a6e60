"""Shell completion: `eval "$(crossbrief completion bash)"` (or zsh; fish: `crossbrief completion fish | source`),
a script made from the command's own parser.

It completes the commands, each command's options, the values of options and arguments that have a fixed set
(`new KIND`, `diff --format`), and the ids of the project for arguments that take one (`quote SOURCE`, `confirm
DOSSIER`, `new --outlet`), asked of `crossbrief ids` as Tab is pressed, so that they are the project's as it is
then; anything else (ROOT, FILE) falls back to the shell's file names. zsh runs the bash script through its bash
compatibility layer, so the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import re
import shlex

SHELLS = ("bash", "zsh", "fish")
_ZSH_PRELUDE = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _pattern(pattern: str) -> str:
    """A `case` pattern, left unquoted for its `*`: it holds only names and flags."""
    assert re.fullmatch(r"[*\w:-]+", pattern), pattern
    return pattern


def _case(pattern: str, words) -> str:
    """One branch of a `case`, offering fixed `words`."""
    return f"            {_pattern(pattern)}) words={shlex.quote(' '.join(words))} ;;"


def _ids_case(pattern: str, kind: str) -> str:
    """One branch of a `case`, offering the project's ids of `kind` (a name of authoring.ID_KINDS)."""
    assert re.fullmatch(r"\w+", kind), kind
    return f'            {_pattern(pattern)}) words="$(crossbrief ids {kind} 2>/dev/null)" ;;'


def _offers(action: argparse.Action):
    """What an argument completes to: fixed choices, the kind of id it takes, or None (file names)."""
    return action.choices or getattr(action, "completes", None)


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell`, for the `crossbrief` parser."""
    if shell == "fish":
        return _fish(parser)
    commands = _commands(parser)
    values, options = [], []
    for name, sub in sorted(commands.items()):
        positional = [a for a in sub._actions if not a.option_strings]
        if positional and _offers(positional[0]):  # the first argument right after the command
            values.append(_branch(f"2:{name}:{name}", positional[0]))
        for action in sub._actions:
            if action.option_strings and _offers(action):
                for flag in action.option_strings:
                    values.append(_branch(f"*:{name}:{flag}", action))
        flags = sorted(flag for a in sub._actions for flag in a.option_strings)
        options.append(_case(name, flags))
    top = sorted(commands) + ["--help", "--version"]
    body = f"""\
# crossbrief completion for {shell}: eval "$(crossbrief completion {shell})"
_crossbrief() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" words=""
    if [ "$COMP_CWORD" -eq 1 ]; then
        words={shlex.quote(" ".join(top))}
    else
        case "$COMP_CWORD:${{COMP_WORDS[1]}}:$prev" in
{chr(10).join(values)}
            *) case "$cur" in
                -*) case "${{COMP_WORDS[1]}}" in
{chr(10).join("        " + line for line in options)}
                    esac ;;
                esac ;;
        esac
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _crossbrief crossbrief
"""
    return (_ZSH_PRELUDE if shell == "zsh" else "") + body


def _branch(pattern: str, action: argparse.Action) -> str:
    return _case(pattern, action.choices) if action.choices else _ids_case(pattern, action.completes)


def _fish_text(text: str) -> str:
    """A string in fish's single quotes (where only \\ and ' are special)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(parser: argparse.ArgumentParser) -> str:
    """The completion script for fish: `complete` lines, one per command, option and argument."""
    commands = _commands(parser)
    lines = [
        "# crossbrief completion for fish: crossbrief completion fish | source",
        "# (or: crossbrief completion fish > ~/.config/fish/completions/crossbrief.fish)",
        "complete -c crossbrief -e",
        "complete -c crossbrief -n __fish_use_subcommand -l version -d 'print the version'",
    ]
    for name, sub in sorted(commands.items()):
        lines.append(
            f"complete -c crossbrief -n __fish_use_subcommand -f -a {name} -d {_fish_text(sub.description or '')}"
        )
    for name, sub in sorted(commands.items()):
        when = f"-n '__fish_seen_subcommand_from {name}'"
        positional = [a for a in sub._actions if not a.option_strings]
        if positional and _offers(positional[0]):
            lines.append(f"complete -c crossbrief {when} -f -a {_fish_values(positional[0])}")
        for action in sub._actions:
            if not action.option_strings or isinstance(action, argparse._HelpAction):
                continue
            flags = " ".join(
                f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}" for flag in action.option_strings
            )
            takes = " -r" if action.nargs != 0 else ""
            offers = f" -f -a {_fish_values(action)}" if _offers(action) else ""
            lines.append(f"complete -c crossbrief {when} {flags}{takes}{offers} -d {_fish_text(action.help or '')}")
    return "\n".join(lines) + "\n"


def _fish_values(action: argparse.Action) -> str:
    if action.choices:
        return _fish_text(" ".join(action.choices))
    assert re.fullmatch(r"\w+", action.completes), action.completes
    return f"'(crossbrief ids {action.completes} 2>/dev/null)'"
