"""`make privacy-text` (service.privacy): the privacy paragraph follows the configured retention."""

from __future__ import annotations

import pytest

from service import privacy


def test_the_retention_is_the_one_purge_applies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "14")
    privacy.main(["--operator", "Stadt Musterstadt, Rathausplatz 1"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "14 Tage nach seiner letzten Nachricht automatisch gelöscht" in shown
    assert "Betreiber des Assistenten ist Stadt Musterstadt, Rathausplatz 1." in shown
    for fact in ("localStorage", "sessionStorage", "Cookies werden nicht gesetzt", "IP-Adressen"):
        assert fact in shown


def test_default_days_one_day_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert "30 Tage nach" in " ".join(privacy.text(30).split())
    assert "einen Tag nach" in " ".join(privacy.text(1).split())
    english = " ".join(privacy.text(7, "en").split())
    assert "deleted automatically 7 days after its last message" in english
    assert "[name and address of the operator]" in english
