"""The screen's script runs on the browsers of cheap TVs: ES5, no library, no inline code."""

import re
from pathlib import Path

import buddypages

SCRIPT = Path(buddypages.__file__).parent / "static" / "buddypages" / "screen" / "screen.js"

# What ES5 lacks (or old TV browsers miss), as it appears in source text.
NEWER_THAN_ES5 = {
    "arrow function": r"=>",
    "let or const": r"\b(let|const)\s",
    "template literal": r"`",
    "class": r"\bclass\s+\w+\s*(extends\b|\{)",
    "spread or rest": r"\.\.\.",
    "fetch or promises": r"\b(fetch|Promise|async|await)\b",
    "a module": r"^\s*(import|export)\s",
    "default parameters": r"function\s*\w*\([^)]*=",
}


def code_of(script: str) -> str:
    """The script without its comments and string literals."""
    script = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    script = re.sub(r"//[^\n]*", "", script)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', script)


def test_the_script_is_es5():
    code = code_of(SCRIPT.read_text())
    found = {name for name, pattern in NEWER_THAN_ES5.items() if re.search(pattern, code, re.M)}
    assert not found


def test_the_check_finds_what_it_looks_for():
    newer = "const a = () => `x`; let b = [...c]; fetch(u).then(f);"
    code = code_of(newer)
    found = {name for name, pattern in NEWER_THAN_ES5.items() if re.search(pattern, code, re.M)}
    assert found == {
        "arrow function",
        "let or const",
        "template literal",
        "spread or rest",
        "fetch or promises",
    }
