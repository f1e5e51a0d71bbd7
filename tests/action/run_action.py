#!/usr/bin/env python3
"""Runs a composite action's steps locally, the way a GitHub runner would.

Why: the action's logic lives in action.yml (which step runs, with which `env:`, under which
`if:`) as much as in its scripts, and only a runner executes that. This reads action.yml,
evaluates the small expression language it uses (`inputs.*`, `steps.<id>.outputs.*`,
`github.*` including `github.event.*` from the payload at GITHUB_EVENT_PATH, `runner.*`,
`==`/`!=` against string literals), runs each `run:` step with
`bash -c` in a fresh environment built from the step's `env:` plus the runner's variables,
collects each step's `$GITHUB_OUTPUT`, skips `uses:` steps (reported on stderr), and prints the
action's outputs as JSON.

It also enforces the rule the action is built on: a `run:` script must not contain `${{`
(values go through `env:`), so a test run fails if that is ever broken.

Usage: run_action.py ACTION_DIR INPUTS_JSON   (the runner variables come from the environment:
GITHUB_WORKSPACE, GITHUB_OUTPUT is replaced per step, GITHUB_STEP_SUMMARY is shared, ...)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def lookup(path, ctx):
    cur = ctx
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return ""
        cur = cur[part]
    return cur if isinstance(cur, str) else json.dumps(cur)


def evaluate(expr, ctx):
    expr = expr.strip()
    m = re.fullmatch(r"(.+?)\s*(==|!=)\s*'([^']*)'", expr)
    if m:
        left = lookup(m.group(1).strip(), ctx)
        eq = left == m.group(3)
        return eq if m.group(2) == "==" else not eq
    if re.fullmatch(r"[A-Za-z0-9_.-]+", expr):
        return lookup(expr, ctx)
    raise SystemExit(f"run_action.py: unsupported expression: {expr}")


def substitute(text, ctx):
    return EXPR.sub(lambda m: str(evaluate(m.group(1), ctx)), str(text))


def parse_output_file(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            val = []
            while i < len(lines) and lines[i] != delim:
                val.append(lines[i])
                i += 1
            i += 1
            out[key] = "\n".join(val)
        elif "=" in line:
            key, val = line.split("=", 1)
            out[key] = val
        else:
            raise SystemExit(f"run_action.py: bad GITHUB_OUTPUT line: {line!r}")
    return out


def main():
    action_dir, inputs_json = sys.argv[1], sys.argv[2]
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    given = json.loads(inputs_json)
    inputs = {}
    for name, spec in (action.get("inputs") or {}).items():
        inputs[name] = str(given.get(name, (spec or {}).get("default", "")))
    unknown = set(given) - set(inputs)
    if unknown:
        raise SystemExit(f"run_action.py: unknown inputs {sorted(unknown)}")

    env_base = dict(os.environ)
    env_base["GITHUB_ACTION_PATH"] = os.path.abspath(action_dir)
    # The event payload, as the runner exposes it to expressions (github.event.*).
    event = {}
    if env_base.get("GITHUB_EVENT_PATH"):
        with open(env_base["GITHUB_EVENT_PATH"], encoding="utf-8") as f:
            event = json.load(f)
    ctx = {
        "inputs": inputs,
        "steps": {},
        "github": {
            "action_path": env_base["GITHUB_ACTION_PATH"],
            "action_repository": env_base.get("GITHUB_ACTION_REPOSITORY", ""),
            "workspace": env_base.get("GITHUB_WORKSPACE", ""),
            "event_name": env_base.get("GITHUB_EVENT_NAME", ""),
            "event": event,
        },
        "runner": {
            "os": env_base.get("RUNNER_OS", "Linux"),
            "arch": env_base.get("RUNNER_ARCH", "X64"),
            "temp": env_base.get("RUNNER_TEMP", ""),
        },
    }
    final_rc = 0
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"__step{n}")
        name = step.get("name", sid)
        cond = step.get("if")
        if cond is not None and not evaluate(str(cond).replace("${{", "").replace("}}", ""), ctx):
            print(f"run_action.py: skipped (if): {name}", file=sys.stderr)
            continue
        if "uses" in step:
            print(f"run_action.py: not run here (uses {step['uses']}): {name}", file=sys.stderr)
            continue
        script = step["run"]
        if "${{" in script:
            raise SystemExit(f"run_action.py: expression inside run: of step {name!r}")
        if step.get("shell") != "bash":
            raise SystemExit(f"run_action.py: step {name!r} must use shell: bash")
        env = dict(env_base)
        for k, v in (step.get("env") or {}).items():
            env[k] = substitute(v, ctx)
        fd, out_path = tempfile.mkstemp(prefix="github_output.")
        os.close(fd)
        env["GITHUB_OUTPUT"] = out_path
        # The runner runs `bash --noprofile --norc -eo pipefail {0}` on a file holding the script.
        fd, script_path = tempfile.mkstemp(prefix="step.", suffix=".sh")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(script)
        rc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script_path],
            env=env,
            cwd=env_base.get("GITHUB_WORKSPACE") or None,
        ).returncode
        os.unlink(script_path)
        ctx["steps"][sid] = {"outputs": parse_output_file(out_path), "outcome": "success" if rc == 0 else "failure"}
        # RUN_ACTION_OUTPUTS_DIR: keep each step's raw $GITHUB_OUTPUT file there, as <id>.txt.
        if env_base.get("RUN_ACTION_OUTPUTS_DIR"):
            with open(out_path, encoding="utf-8") as src, open(
                os.path.join(env_base["RUN_ACTION_OUTPUTS_DIR"], f"{sid}.txt"), "w", encoding="utf-8"
            ) as dst:
                dst.write(src.read())
        os.unlink(out_path)
        if rc != 0:
            print(f"run_action.py: step failed with exit code {rc}: {name}", file=sys.stderr)
            final_rc = rc
            break
    outputs = {k: substitute(v.get("value", ""), ctx) for k, v in (action.get("outputs") or {}).items()}
    print(json.dumps(outputs, indent=2, sort_keys=True))
    sys.exit(final_rc)


if __name__ == "__main__":
    main()
