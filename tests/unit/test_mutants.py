"""Hostile input, in bulk and seeded: mutated profiles, mutated case files and hostile option values
run through the real CLI (in process, with the profile cache on). Whatever the input: no
traceback, no hang (a per-run alarm), exit status 0, 1 or 2 only, and every profile folder that
`validate` accepts is scored by `compare` (exit 0, finite JSON numbers).

The budget is fixed and the seeds too, so a run is repeatable: `MUTANTS` profile mutants, `CASES`
case mutants and every option with `OPTION_VALUES` values. Each test prints its counts (runs,
exit statuses) with `pytest -s`; `WORKBENCH_MUTANTS=N` runs N profile mutants instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

import pytest

from workbench.cli.main import build_parser, main
from workbench.profiles.paths import bundled_profiles_dir
from workbench.session import Case, case_text

MUTANTS = int(os.environ.get("WORKBENCH_MUTANTS", "300"))
CASES = 150
OPTION_VALUES = 12
RUN_SECONDS = 10
"""Longest one CLI run may take before it counts as a hang."""
BUNDLED = bundled_profiles_dir()
REFERENCE = "natalizumab.toml"
"""A bundled profile kept beside each mutant, so compare always has another drug."""

INTEGERS = ("0", "-1", "1", "10000000000000000", "9223372036854775808", "1" + "0" * 400, "2")
"""Extremes of the same type as a whole number they replace (strict types: a float is refused)."""
FLOATS = ("0.0", "-0.0", "1e-320", "5e-324", "1e308", "-1e308", "inf", "-inf", "nan", "0.001")
"""Extremes of the same type as a decimal number they replace."""
NUMBERS = (*INTEGERS, *FLOATS, "true", '"12"', "[]", "{}")
"""Anything in place of a number."""
TEXTS = (
    '"\\u001b]0;pwned\\u0007"',
    '"\\u202e\\u2066\\u200b\\U000e0041\\u061c"',
    '"[bold][link=https://x]x[/link]"',
    '"' + "[" * 40 + '"',
    '"' + "a." * 40 + '"',
    '""',
    '"' + "x" * 5000 + '"',
    "'\\x'",
    '"=cmd|calc"',
)
JUNK = (
    b"\x00",
    b"\xff\xfe",
    b"[" * 50,
    b"{" * 50,
    b"a." * 40 + b"b = 1\n",
    b'"""',
    b"\n[[measurements]]\n",
    b"\n[measurements.pml.strata]\n",
    b"= = =",
    b"\r\n",
    b"\xef\xbb\xbf",
)
_NUMBER = re.compile(rb"(?<=[=\[, ])-?\d[\d_]*(?:\.\d+)?(?:e-?\d+)?")
_INTEGER = re.compile(rb"(?<== )-?\d[\d_]*(?=\s*(?:#.*)?$)", re.M)
_FLOAT = re.compile(rb"(?<== )-?\d[\d_]*(?:\.\d+(?:e-?\d+)?|e-?\d+)(?=\s*(?:#.*)?$)", re.M)
_STRING = re.compile(rb'"[^"\n]*"')
_FIGURE = re.compile(
    rb"\b(?:events|patients|patient_years|follow_up_years|value|ci_low|ci_high|low|high) = "
    rb"([-\d.e_]+)"
)
"""The figures and counts the engine computes with."""
_KEY = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*)(\s*=)", re.M)


# --------------------------------------------------------------------------- running the CLI


class Hang(Exception):
    """A run took longer than `RUN_SECONDS`."""


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(argv: Sequence[str]) -> tuple[int, str, str]:
    """`workbench ARGV` in process: its exit status, stdout and stderr. A traceback (any exception
    but SystemExit) or a hang fails the test with the arguments that caused it."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with _alarm(RUN_SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    except Hang:
        pytest.fail(f"hang: workbench {' '.join(map(repr, argv))}")
    except Exception as error:
        pytest.fail(f"traceback: workbench {' '.join(map(repr, argv))}: {error!r}")
    assert code in (0, 1, 2), (argv, code, err.getvalue()[-500:])
    assert "Traceback" not in err.getvalue(), (argv, err.getvalue()[-2000:])
    return code, out.getvalue(), err.getvalue()


def _no_special_floats(text: str) -> object:
    def refuse(constant: str) -> float:
        raise ValueError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


# --------------------------------------------------------------------------- profile mutants


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits of a TOML file's bytes."""
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(_OPERATORS)(data, rng)
    return data


def _replace_match(pattern: re.Pattern[bytes], values: Sequence[str]) -> Callable[..., bytes]:
    def operator(data: bytes, rng: random.Random) -> bytes:
        matches = list(pattern.finditer(data))
        if not matches:
            return data
        match = rng.choice(matches)
        start, end = match.span(match.lastindex or 0)  # the value group, when there is one
        return data[:start] + rng.choice(values).encode() + data[end:]

    return operator


def _line_edit(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    kind = rng.randrange(3)
    if kind == 0:
        del lines[index]
    elif kind == 1:
        lines.insert(index, lines[index])
    else:
        other = rng.randrange(len(lines))
        lines[index], lines[other] = lines[other], lines[index]
    return b"\n".join(lines)


def _insert_junk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(JUNK) + data[at:]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _rename_key(data: bytes, rng: random.Random) -> bytes:
    matches = list(_KEY.finditer(data))
    if not matches:
        return data
    match = rng.choice(matches)
    new = rng.choice((match.group(1)[:-1], match.group(1) + b"x", b"value", b"events"))
    return data[: match.start(1)] + new + data[match.end(1) :]


def _empty_table(data: bytes, rng: random.Random) -> bytes:
    """An inline table or array emptied (a preset without importances, a list without items)."""
    matches = list(re.finditer(rb"(?<== )(\{[^\n]*\}|\[[^\n]*\])", data))
    if not matches:
        return data
    match = rng.choice(matches)
    return data[: match.start()] + match.group()[:1] + match.group()[-1:] + data[match.end() :]


_OPERATORS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _replace_match(_INTEGER, INTEGERS),
    _replace_match(_INTEGER, INTEGERS),
    _replace_match(_FLOAT, FLOATS),
    _replace_match(_FLOAT, FLOATS),
    _replace_match(_NUMBER, NUMBERS),
    _replace_match(_FIGURE, (*INTEGERS, *FLOATS)),
    _replace_match(_FIGURE, (*INTEGERS, *FLOATS)),
    _empty_table,
    _replace_match(_STRING, TEXTS),
    _replace_match(_STRING, NUMBERS),
    _line_edit,
    _insert_junk,
    _truncate,
    _rename_key,
)


FILE_KINDS = ("fifo", "to /dev/zero", "folder", "not UTF-8 name", "upper-case suffix", "large")
"""What a mutant's file may be instead of a plain file (one mutant in ten)."""


def _folder(tmp_path: Path, mutated_name: str, mutated: bytes, kind: str | None = None) -> Path:
    """A profiles folder: criteria, presets, the reference profile and the mutant (replaced by a
    FIFO, a link to /dev/zero, … when `kind` says)."""
    folder = tmp_path / "profiles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in ("criteria.toml", "presets.toml", REFERENCE):
        shutil.copyfile(BUNDLED / name, folder / name)
    target = folder / mutated_name
    if kind == "fifo":
        target.unlink(missing_ok=True)
        os.mkfifo(target)
    elif kind == "to /dev/zero":
        target.unlink(missing_ok=True)
        target.symlink_to("/dev/zero")
    elif kind == "folder":
        target.unlink(missing_ok=True)
        target.mkdir()
    elif kind == "not UTF-8 name":
        (folder / os.fsdecode(b"\xff\xfe" + os.fsencode(mutated_name))).write_bytes(mutated)
    elif kind == "upper-case suffix":
        target.with_suffix(".TOML").write_bytes(mutated)
    elif kind == "large":
        target.write_bytes(mutated + b"#" * (2 * 1024 * 1024))
    else:
        target.write_bytes(mutated)
    return folder


def test_profile_mutants_never_crash_and_validated_ones_are_scored(tmp_path: Path) -> None:
    rng = random.Random(28)
    names = sorted(path.name for path in BUNDLED.glob("*.toml"))
    originals = {name: (BUNDLED / name).read_bytes() for name in names}
    codes: Counter[str] = Counter()
    runs = 0
    for number in range(MUTANTS):
        name = names[number % len(names)]
        kind = rng.choice(FILE_KINDS) if number % 10 == 9 else None
        folder = _folder(tmp_path, name, mutate(originals[name], rng), kind)
        valid, _, _ = run_cli(["validate", str(folder)])
        code, out, err = run_cli(["compare", "--profiles", str(folder), "--format", "json"])
        runs += 2
        codes[f"validate {valid}"] += 1
        codes[f"compare {code}"] += 1
        if valid != 0:
            continue
        assert code == 0, f"validate accepted {name} (mutant {number}) but compare: {err[-500:]}"
        if kind is not None:
            continue  # the mutant's file was not loaded: nothing more to score
        result = _no_special_floats(out)
        assert isinstance(result, dict)
        assert result["drugs"]
        if number % 10 == 0:  # SMAA samples every figure: also within its budget
            code, out, err = run_cli(
                ["compare", "--profiles", str(folder), "--format", "json", "--smaa", "200"]
            )
            runs += 1
            assert code == 0, err[-500:]
            _no_special_floats(out)
    print(f"\nprofile mutants: {MUTANTS}, CLI runs: {runs}, failures: 0, {dict(codes)}")
    assert codes["validate 0"] > 0  # some mutants stay valid: compare was exercised
    assert codes["validate 1"] > 0


# --------------------------------------------------------------------------- case mutants


def test_case_file_mutants_never_crash(tmp_path: Path) -> None:
    rng = random.Random(2028)
    case = Case(
        drugs=["natalizumab", "ocrelizumab"], importance={"pml": 7.0, "other_infections": 3.0}
    )
    original = case_text(case).encode().replace(b'"unknown"', b'"positive"', 1)
    path = tmp_path / "case.toml"
    codes: Counter[int] = Counter()
    for _ in range(CASES):
        path.write_bytes(mutate(original, rng))
        code, out, _ = run_cli(["compare", "--session", str(path), "--format", "json"])
        codes[code] += 1
        if code == 0:
            _no_special_floats(out)
    print(f"\ncase mutants: {CASES}, CLI runs: {CASES}, failures: 0, exit statuses {dict(codes)}")
    assert codes[0] > 0
    assert codes[2] > 0


# --------------------------------------------------------------------------- option values

HOSTILE_VALUES = (
    "",
    " ",
    "-1",
    "0",
    "1e20",
    "1000000",
    "99999999999999999999999",
    "nan",
    "inf",
    "x" * 100_000,
    "\x1b]0;pwned\x07",
    "\u202e\u200b\U000e0041",
    "\udcff",
    "../../../../etc/passwd",
    "/dev/zero",
    "natalizumab:1e308:yes",
    "pml=nan",
    "pml=1e308",
    "a,b,,c",
    "--help-not",
)


def _options(command: str) -> list[str]:
    parser = build_parser(command)
    sub = next(
        action
        for action in parser._actions
        if isinstance(action.choices, dict) and command in action.choices
    )
    options = []
    for action in sub.choices[command]._actions:  # type: ignore[index]
        flags = [flag for flag in action.option_strings if flag.startswith("--")]
        if flags and action.nargs != 0 and flags[0] not in ("--help", "--output"):
            options.append(flags[0])
    return options


@pytest.mark.parametrize("command", ["compare", "validate", "list", "schema"])
def test_hostile_option_values_are_one_line_errors(command: str, tmp_path: Path) -> None:
    rng = random.Random(command)
    codes: Counter[int] = Counter()
    runs = 0
    for option in _options(command):
        for value in rng.sample(HOSTILE_VALUES, OPTION_VALUES):
            argv = [command, option, value]
            if command == "compare":
                argv += ["--format", "json", "--drugs", "natalizumab,ocrelizumab"]
            code, _, err = run_cli(argv)
            runs += 1
            codes[code] += 1
            if code == 2:
                assert len(err.strip().splitlines()) == 1, (argv, err)
                assert "\x1b" not in err
    for value in HOSTILE_VALUES:  # positional arguments (paths) too
        if command in ("validate", "list"):
            code, _, err = run_cli([command, value])
            runs += 1
            codes[code] += 1
            assert "\x1b" not in err
    print(f"\n{command} option values: {runs} CLI runs, failures: 0, exit statuses {dict(codes)}")


def test_output_refuses_devices_links_and_fifos(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    for target in (fifo, link, Path("/dev/null"), tmp_path):
        code, _, err = run_cli(["compare", "--format", "json", "-o", str(target)])
        assert code == 1, (target, err)
        assert "not replaced" in err or "folder" in err or "directory" in err, err
    assert Path("/dev/null").is_char_device()
    assert fifo.is_fifo()
    assert link.is_symlink()
    assert not (tmp_path / "elsewhere.json").exists()
    code, _, _ = run_cli(["compare", "--format", "json", "-o", str(tmp_path / "ok.json")])
    assert code == 0
    assert json.loads((tmp_path / "ok.json").read_text())["drugs"]
