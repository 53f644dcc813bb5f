"""Smoke tests of the generated Python bindings against the host-built library."""

import pytest

import zhifa_ffi as z


def test_version_is_the_crate_version():
    assert z.core_version().count(".") == 2


def test_deadline_add_counts_working_days_over_national_day():
    # 2024-09-30 + 5 working days: 10-01..07 holidays, 10-12 a make-up Saturday.
    assert z.deadline_add("working_days", "2024-09-30", 5) == "2024-10-12"


def test_deadline_before_counts_backwards():
    assert z.deadline_before("2024-10-12", 5) == "2024-09-30"


def test_bad_input_raises_typed_errors_in_chinese():
    with pytest.raises(z.CoreError.InvalidInput) as e:
        z.deadline_add("fortnights", "2024-09-30", 5)
    assert "未知的计算规则" in str(e.value)
    with pytest.raises(z.CoreError.InvalidInput):
        z.deadline_add("working_days", "2024-02-30", 5)
    with pytest.raises(z.CoreError.CalendarOutOfRange):
        z.deadline_add("working_days", "2040-01-01", 5)


def test_rules_and_templates_are_listed():
    assert [r.name for r in z.deadline_rules()][0] == "working_days"
    templates = {t.id: t for t in z.record_templates()}
    inspection = templates["inspection_record"]
    assert inspection.name == "现场检查笔录"
    assert inspection.av_required
    assert any(f.key == "credentials_shown" and f.required for f in inspection.fields)
    types = {f.key: f.field_type for f in inspection.fields}
    assert (types["credentials_shown"], types["inspected_at"], types["findings"]) == (
        z.FieldType.BOOL, z.FieldType.DATE_TIME, z.FieldType.LONG_TEXT)
    assert any(s.role == "party" and s.refusable for s in inspection.signers)


def test_identity_numbers_are_masked():
    assert z.mask_id_number("130702199001011234") == "130***********1234"


def test_every_exported_function_is_called_by_a_binding_test():
    """Each function and method the library exports appears in a test here."""
    import inspect
    import pathlib

    here = pathlib.Path(__file__).parent
    src = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    exported = [n for n, f in inspect.getmembers(z, inspect.isfunction)
                if f.__module__ == z.__name__ and not n.startswith(("_", "uniffi_"))]
    for cls in (z.ZhifaApp, z.WatchHandle):
        exported += [n for n, _ in inspect.getmembers(cls, callable)
                     if not n.startswith("_") and n not in ("mro",)]
    assert len(exported) > 30, exported
    uncalled = sorted({n for n in exported if f"{n}(" not in src})
    assert uncalled == [], uncalled
