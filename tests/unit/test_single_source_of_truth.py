"""The published schema and the authoring guide follow the model; the core never loads streamlit."""
import subprocess
import sys

from casebook import model
from casebook.schema import SCHEMA_PATH, schema_text
from tests.conftest import ROOT


def test_schema_file_is_generated_from_the_model():
    assert SCHEMA_PATH.read_text() == schema_text(), "run: python -m casebook schema --write"


def all_models():
    return [m for m in vars(model).values()
            if isinstance(m, type) and issubclass(m, model.Strict) and m is not model.Strict]


def test_every_field_has_a_description():
    missing = [f"{m.__name__}.{name}" for m in all_models() for name, f in m.model_fields.items() if not f.description]
    assert missing == []


def test_every_field_is_documented_in_the_authoring_guide():
    guide = (ROOT / "docs" / "authoring.md").read_text()
    missing = [f"{m.__name__}.{name}" for m in all_models() for name in m.model_fields if f"`{name}`" not in guide]
    assert missing == []


def test_core_package_never_imports_streamlit():
    code = ("import sys, casebook.core, casebook.library, casebook.timeline, casebook.staff, casebook.__main__; "
            "print('streamlit' in sys.modules, 'plotly' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]
