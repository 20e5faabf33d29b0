#!/usr/bin/env python3
"""Write the bash, zsh and fish completions of tcpflow-explain from the built binary's own help.

    generate.py BINARY OUTDIR

The options, their enumerated values (TEXT:{a,b,c}) and the check fields come from
`BINARY --help`, `BINARY check --help`, `BINARY check --list-fields` and `BINARY demo --help`,
so a new option is completed without an edit here. The one table kept here, VALUE_KINDS, says
what an option's value is when its help cannot (a file, a directory, an interface, a user, an
expectation); an option not in it completes files for TEXT and FILE, nothing for numbers.

Writes OUTDIR/tcpflow-explain.bash, OUTDIR/_tcpflow-explain (zsh) and OUTDIR/tcpflow-explain.fish.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROG = "tcpflow-explain"
CAPTURE_SUFFIXES = ("pcap", "pcapng", "cap")

# What the value of an option is, where its help says only TEXT (or nothing that tells).
VALUE_KINDS = {
    ("main", "--read"): "capture",
    ("main", "--write"): "file",
    ("main", "--write-streams"): "directory",
    ("main", "--conn"): "none",
    ("main", "--interface"): "interface",
    ("main", "--user"): "user",
    ("check", "--interface"): "interface",
    ("check", "--expect"): "field",
    ("check", "--rules"): "file",
    ("check", "--junit"): "file",
    ("check", "--select"): "none",
    ("check", "--user"): "user",
    ("demo", "-w"): "file",
}


@dataclass
class Option:
    names: list  # ["-r", "--read"]
    takes_value: bool
    values: list = field(default_factory=list)  # enumerated values, when the help lists them
    kind: str = "none"  # capture, file, directory, interface, user, field, enum, none
    repeatable: bool = False
    description: str = ""

    @property
    def long_name(self):
        return next((n for n in self.names if n.startswith("--")), self.names[-1])


OPTION_LINE = re.compile(r"^  (-[^\s]+)(?: (\S+))?(.*)$")
TYPE_TOKEN = re.compile(r"^[A-Z][A-Z0-9_]*(?::.*)?$")


def run(binary, *args):
    # The help follows TFX_LANG: the completions are read from the English one.
    env = {k: v for k, v in os.environ.items() if k != "TFX_LANG"}
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True, env=env).stdout


def parse_cli11_help(text, command):
    """The options of a CLI11 --help: each starts a line with two spaces and a dash, under
    "Options:" or under the heading of its group."""
    options = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = OPTION_LINE.match(line)
        if not match:
            continue
        names = [n for n in match.group(1).split(",") if n.startswith("-")]
        token = match.group(2) or ""
        rest = match.group(3)
        if token in ("Excludes:", "Needs:"):
            token, rest = "", f" {token}{rest}"
        takes_value = bool(TYPE_TOKEN.match(token))
        values = []
        enum = re.search(r":\{([^}]*)\}", token) if takes_value else None
        if enum:
            values = enum.group(1).split(",")
        # After the type: its range ("in [1, 9]"), "..." when repeatable, the Excludes: and
        # Needs: lists, then the description when the names are short enough for it.
        inline = re.sub(r"^in \[[^\]]*\]\s*", "", rest.strip())
        repeatable = inline.startswith("...")
        inline = re.sub(r"^(\.\.\.\s*)?((Excludes|Needs):( -\S+)+\s*)*", "", inline).strip()
        description = inline
        if not description and i + 1 < len(lines) and lines[i + 1].startswith(" " * 8):
            description = lines[i + 1].strip()
        option = Option(names, takes_value, values, description=description, repeatable=repeatable)
        option.kind = value_kind(command, option, token)
        options.append(option)
    return options


def value_kind(command, option, token):
    if not option.takes_value:
        return "none"
    for name in option.names:
        if (command, name) in VALUE_KINDS:
            return VALUE_KINDS[(command, name)]
    if option.values:
        return "enum"
    if token.split(":")[0] in ("TEXT", "FILE"):
        return "file"
    return "none"


def parse_demo_help(text):
    """The demo's own options ([--opt], [-w FILE], --list in its usage) and the demo names."""
    options, names = [], []
    usage = "\n".join(l for l in text.splitlines() if PROG + " demo" in l)
    for match in re.finditer(r"(?<![\w-])(--?[a-z][\w-]*)(?: ([A-Z]+))?", usage.split(PROG + " demo", 1)[1]):
        name, value = match.group(1), match.group(2)
        if any(name in o.names for o in options):
            continue
        option = Option([name], bool(value))
        option.kind = VALUE_KINDS.get(("demo", name), "file" if value else "none")
        options.append(option)
    in_demos = False
    for line in text.splitlines():
        if line.startswith("Demos:"):
            in_demos = True
        elif in_demos and re.match(r"^  \S", line):
            names.append(line.split()[0])
        elif in_demos:
            break
    return options, names


def parse_fields(text):
    fields = []
    for line in text.splitlines():
        match = re.match(r"^  ([a-z_][a-z0-9_]*)\s", line)
        if match and match.group(1) not in fields:
            fields.append(match.group(1))
    return fields


# --- bash ---------------------------------------------------------------------------------


def bash_value_case(command, options):
    lines = []
    for o in options:
        if not o.takes_value:
            continue
        pattern = "|".join(f"{command}:{n}" for n in o.names)
        action = {
            "capture": "_tcpflow_explain_captures",
            "file": "_tcpflow_explain_files",
            "directory": "_tcpflow_explain_directories",
            "interface": "_tcpflow_explain_interfaces",
            "user": 'COMPREPLY=($(compgen -u -- "$cur"))',
            "field": 'COMPREPLY=($(compgen -W "$_tcpflow_explain_fields" -- "$cur"))',
            "enum": f'COMPREPLY=($(compgen -W "{" ".join(o.values)}" -- "$cur"))',
            "none": ":",
        }[o.kind]
        lines.append(f"        {pattern}) {action}; return 0 ;;")
    return lines


def short_description(text, width):
    """TEXT cut at a word boundary to at most WIDTH characters."""
    if len(text) <= width:
        return text
    return text[: width - 3].rsplit(" ", 1)[0].rstrip(",;:(.") + "..."


def all_names(options):
    return " ".join(n for o in options for n in o.names)


def bash_script(main, check, demo, demos, fields):
    cases = bash_value_case("main", main) + bash_value_case("check", check) + bash_value_case("demo", demo)
    suffixes = "|".join("*." + s for s in CAPTURE_SUFFIXES)
    return f"""# bash completion for {PROG}: generated from its --help by scripts/completions/generate.py.

_tcpflow_explain_main_options="{all_names(main)}"
_tcpflow_explain_check_options="{all_names(check)}"
_tcpflow_explain_demo_options="{all_names(demo)}"
_tcpflow_explain_demos="{" ".join(demos)}"
_tcpflow_explain_fields="{" ".join(fields)}"

_tcpflow_explain_captures() {{
    compopt -o filenames 2>/dev/null
    local IFS=$'\\n' name
    COMPREPLY=($(compgen -d -- "$cur"))
    for name in $(compgen -f -- "$cur"); do
        case $name in
            {suffixes}) [[ -f $name ]] && COMPREPLY+=("$name") ;;
        esac
    done
}}

_tcpflow_explain_files() {{
    compopt -o filenames 2>/dev/null
    local IFS=$'\\n'
    COMPREPLY=($(compgen -f -- "$cur"))
}}

_tcpflow_explain_directories() {{
    compopt -o filenames 2>/dev/null
    local IFS=$'\\n'
    COMPREPLY=($(compgen -d -- "$cur"))
}}

_tcpflow_explain_interfaces() {{
    local names
    if [[ -d /sys/class/net ]]; then
        names=$(command ls /sys/class/net)
    else
        names=$(ip -o link show 2>/dev/null | awk -F': ' '{{sub(/@.*/, "", $2); print $2}}')
    fi
    COMPREPLY=($(compgen -W "$names" -- "$cur"))
}}

_tcpflow_explain() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local command=main first=1
    case ${{COMP_WORDS[1]}} in
        check|demo) (( COMP_CWORD > 1 )) && command=${{COMP_WORDS[1]}} first=2 ;;
    esac
    COMPREPLY=()

    # --option=value: complete the value. Bash splits the word at '=' (COMP_WORDBREAKS), so
    # "--format=j" comes as "--format" "=" "j"; a caller that does not split gives it whole.
    if [[ $cur == --*=* ]]; then
        prev=${{cur%%=*}}
        cur=${{cur#*=}}
    elif [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
        prev=${{COMP_WORDS[COMP_CWORD-2]}}
    fi
    case $command:$prev in
{chr(10).join(cases)}
    esac

    if [[ $cur == -* ]]; then
        local options_var=_tcpflow_explain_${{command}}_options
        COMPREPLY=($(compgen -W "${{!options_var}}" -- "$cur"))
        return 0
    fi
    if [[ $command == demo ]]; then
        local i
        for (( i = first; i < COMP_CWORD; i++ )); do
            [[ ${{COMP_WORDS[i]}} != -* && " $_tcpflow_explain_demos " == *" ${{COMP_WORDS[i]}} "* ]] && return 0
        done
        COMPREPLY=($(compgen -W "$_tcpflow_explain_demos" -- "$cur"))
        return 0
    fi
    _tcpflow_explain_captures
    if [[ $command == main && $COMP_CWORD -eq 1 ]]; then
        COMPREPLY+=($(compgen -W "check demo" -- "$cur"))
    fi
    return 0
}}

complete -F _tcpflow_explain {PROG}
"""


# --- zsh ----------------------------------------------------------------------------------


def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_description(text):
    return re.sub(r"([\[\]:\\])", r"\\\1", short_description(text, 70))


def zsh_specs(options):
    specs = []
    for o in options:
        action = {
            "capture": "_tcpflow_explain_captures",
            "file": "_files",
            "directory": "_files -/",
            "interface": "_tcpflow_explain_interfaces",
            "user": "_users",
            "field": "_tcpflow_explain_fields",
            "enum": "(" + " ".join(o.values) + ")",
            "none": " ",
        }[o.kind]
        label = o.long_name.lstrip("-")
        for name in o.names:
            spec = ("*" if o.repeatable else "") + name
            if name.startswith("--") and o.takes_value:
                spec += "="
            if o.description:
                spec += f"[{zsh_description(o.description)}]"
            if o.takes_value:
                spec += f":{label}:{action}"
            specs.append(zsh_quote(spec))
    return specs


def zsh_script(main, check, demo, demos, fields):
    indent = "\n    "
    return f"""#compdef {PROG}
# zsh completion for {PROG}: generated from its --help by scripts/completions/generate.py.

_tcpflow_explain_captures() {{
  _files -g '*.({"|".join(CAPTURE_SUFFIXES)})(-.)'
}}

_tcpflow_explain_interfaces() {{
  local -a names
  if [[ -d /sys/class/net ]]; then
    names=(/sys/class/net/*(N:t))
  else
    names=(${{${{(f)"$(ip -o link show 2>/dev/null)"}}#*: }})
    names=(${{names%%[:@]*}})
  fi
  compadd -a names
}}

_tcpflow_explain_fields() {{
  local -a fields
  fields=({" ".join(fields)})
  compadd -a fields
}}

_tcpflow_explain_demo_names() {{
  local -a demos
  demos=({" ".join(demos)})
  compadd -a demos
}}

_tcpflow-explain() {{
  local -a main_specs check_specs demo_specs
  main_specs=(
    {indent.join(zsh_specs(main))}
  )
  check_specs=(
    {indent.join(zsh_specs(check))}
  )
  demo_specs=(
    {indent.join(zsh_specs(demo))}
  )
  if (( CURRENT > 2 )) && [[ $words[2] == check ]]; then
    shift words; (( CURRENT-- ))
    _arguments -S $check_specs '*:capture file:_tcpflow_explain_captures'
  elif (( CURRENT > 2 )) && [[ $words[2] == demo ]]; then
    shift words; (( CURRENT-- ))
    _arguments -S $demo_specs '1:demo:_tcpflow_explain_demo_names'
  else
    _arguments -S $main_specs '1:capture file or subcommand:{{_tcpflow_explain_captures; compadd check demo}}' \\
      '*:capture file:_tcpflow_explain_captures'
  fi
}}

_tcpflow-explain "$@"
"""


# --- fish ---------------------------------------------------------------------------------


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_lines(options, condition):
    lines = []
    for o in options:
        parts = [f"complete -c {PROG} -n {fish_quote(condition)}"]
        for name in o.names:
            parts.append(f"-l {name[2:]}" if name.startswith("--") else
                         f"-s {name[1:]}" if len(name) == 2 else f"-o {name[1:]}")
        if o.takes_value:
            parts.append({
                "capture": "-r -a '(__tcpflow_explain_captures)'",
                "file": "-r -F",
                "directory": "-x -a '(__fish_complete_directories)'",
                "interface": "-x -a '(__tcpflow_explain_interfaces)'",
                "user": "-x -a '(__fish_complete_users)'",
                "field": f"-x -a '(__tcpflow_explain_fields)'",
                "enum": "-x -a " + fish_quote(" ".join(o.values)),
                "none": "-x",
            }[o.kind])
        if o.description:
            parts.append("-d " + fish_quote(short_description(o.description, 80)))
        lines.append(" ".join(parts))
    return lines


def fish_script(main, check, demo, demos, fields):
    suffix_calls = "; ".join(f"__fish_complete_suffix .{s}" for s in CAPTURE_SUFFIXES)
    in_main = "not __fish_seen_subcommand_from check demo"
    lines = [
        f"# fish completion for {PROG}: generated from its --help by scripts/completions/generate.py.",
        "",
        "function __tcpflow_explain_captures",
        f"    {suffix_calls}",
        "end",
        "function __tcpflow_explain_interfaces",
        "    if test -d /sys/class/net",
        "        command ls /sys/class/net",
        "    else",
        "        ip -o link show 2>/dev/null | string replace -r '^[0-9]+: ([^:@]+).*' '$1'",
        "    end",
        "end",
        "function __tcpflow_explain_fields",
        f"    printf '%s\\n' {' '.join(fields)}",
        "end",
        "",
        f"complete -c {PROG} -f",
        f"complete -c {PROG} -n {fish_quote('__fish_use_subcommand')} -a check -d 'assert facts about a capture, for CI'",
        f"complete -c {PROG} -n {fish_quote('__fish_use_subcommand')} -a demo -d 'play and explain a loopback exchange'",
        f"complete -c {PROG} -n {fish_quote('not __fish_seen_subcommand_from demo')} -a '(__tcpflow_explain_captures)'",
        f"complete -c {PROG} -n {fish_quote('__fish_seen_subcommand_from demo; and not __fish_seen_subcommand_from ' + ' '.join(demos))} -a {fish_quote(' '.join(demos))}",
    ]
    lines += fish_lines(main, in_main)
    lines += fish_lines(check, "__fish_seen_subcommand_from check")
    lines += fish_lines(demo, "__fish_seen_subcommand_from demo")
    return "\n".join(lines) + "\n"


def without_names(options, taken):
    """OPTIONS less the names in TAKEN (an option left without a name is dropped)."""
    kept = []
    for o in options:
        names = [n for n in o.names if n not in taken]
        if names:
            kept.append(Option(names, o.takes_value, o.values, o.kind, o.repeatable, o.description))
    return kept


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py BINARY OUTDIR")
    binary, outdir = sys.argv[1], Path(sys.argv[2])
    main_options = parse_cli11_help(run(binary, "--help"), "main")
    check_options = parse_cli11_help(run(binary, "check", "--help"), "check")
    demo_own, demos = parse_demo_help(run(binary, "demo", "--help"))
    # demo takes the walkthrough's options too.
    demo_options = demo_own + without_names(main_options, {n for o in demo_own for n in o.names})
    fields = parse_fields(run(binary, "check", "--list-fields"))
    if not main_options or not check_options or not demos or not fields:
        sys.exit("generate.py: could not read the options from the help")
    outdir.mkdir(parents=True, exist_ok=True)
    args = (main_options, check_options, demo_options, demos, fields)
    (outdir / f"{PROG}.bash").write_text(bash_script(*args))
    (outdir / f"_{PROG}").write_text(zsh_script(*args))
    (outdir / f"{PROG}.fish").write_text(fish_script(*args))


if __name__ == "__main__":
    main()
