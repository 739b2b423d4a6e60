"""Shell completion: `eval "$(crossbrief completion bash)"` (or zsh), a script made from the command's own parser.

It completes the commands, each command's options, and the values of options and arguments that have a fixed set
(`new KIND`, `diff --format`); anything else (ROOT, FILE) falls back to the shell's file names. zsh runs the same
script through its bash compatibility layer, so the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import re
import shlex

SHELLS = ("bash", "zsh")
_ZSH_PRELUDE = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _case(pattern: str, words) -> str:
    """One branch of a `case`; the pattern is left unquoted for its `*`, and holds only names and flags."""
    assert re.fullmatch(r"[*\w:-]+", pattern), pattern
    return f"            {pattern}) words={shlex.quote(' '.join(words))} ;;"


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell`, for the `crossbrief` parser."""
    commands = _commands(parser)
    values, options = [], []
    for name, sub in sorted(commands.items()):
        positional = [a for a in sub._actions if not a.option_strings]
        if positional and positional[0].choices:  # the first argument right after the command
            values.append(_case(f"2:{name}:{name}", positional[0].choices))
        for action in sub._actions:
            if action.option_strings and action.choices:
                for flag in action.option_strings:
                    values.append(_case(f"*:{name}:{flag}", action.choices))
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
