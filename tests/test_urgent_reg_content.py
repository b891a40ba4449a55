"""Urgent help and registration: facts added in the second content pass say what they must.

Walks run through the engine by option ids (language-neutral), like tests/test_real_content.py.
"""

from __future__ import annotations

import pytest

from bot.content.model import Content
from bot.i18n import LANGS
from tests.test_real_content import walk

NAV_EMOJI = ("🏠", "⬅️", "🌐", "↩️")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "path",
    [
        ["urgent", "locked", "rights", "stay"],
        ["urgent", "locked", "afraid", "stay"],
        ["urgent", "other", "escaped", "case", "stay"],
    ],
)
def test_victim_learns_reporting_keeps_the_registration(
    real_content: Content, lang: str, path: list[str]
) -> None:
    """FACTS §7: reporting a grave crime keeps the registration while it is reviewed and
    investigated (2016 rule, said as such); 2023: temporary residence for foreign victims;
    the details are unverified, so the text says whom to ask (111)."""
    text, _ = walk(real_content, lang, path)
    assert "2016" in text and "2023" in text and "111" in text
    assert "adilet.zan.kz" in text  # the check line


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_trp_insurance_conflict_is_told_honestly(real_content: Content, lang: str) -> None:
    """FACTS §2.1/§3.1/§11.6: no insurance for an EAEU citizen's TRP, but one legal Q&A reads
    Labour Code Art. 26 as requiring a ВМС contract before hiring: both, and where to check."""
    text, _ = walk(real_content, lang, ["reg", "kg", "work", "ins"])
    assert "ВМС" in text and "26" in text and "adilet.zan.kz" in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_90_in_180_rule_is_not_told_to_trp_holders(real_content: Content, lang: str) -> None:
    """FACTS §2.1: longer stays are legal with a TRP; the counting screen says the rule is for
    people without one."""
    text, _ = walk(real_content, lang, ["reg", "uz", "count"])
    assert "РВП" in text


@pytest.mark.parametrize("lang", LANGS)
def test_overstay_beyond_five_days_points_to_the_law(real_content: Content, lang: str) -> None:
    """FACTS §8/§11.5: 5-10 days and expulsion are not confirmed: the text sends the reader to
    Art. 517 on adilet.zan.kz; the 2023 court case is an example in MRP, not in 2026 tenge."""
    text, _ = walk(real_content, lang, ["reg", "kg", "over"])
    assert "517" in text and "518" in text and "adilet.zan.kz" in text
    assert "108 125" not in text  # 25 MRP of a 2023 case is not converted with the 2026 MRP


@pytest.mark.parametrize("lang", LANGS)
def test_unpaid_fine_warning_comes_with_where_to_check(real_content: Content, lang: str) -> None:
    """FACTS §8 (low): an unpaid fine may cause trouble at the border: shown with egov.kz."""
    text, _ = walk(real_content, lang, ["reg", "kg", "over", "do"])
    assert "egov.kz" in text and "1414" in text


@pytest.mark.parametrize("lang", LANGS)
def test_buttons_of_urgent_and_registration_fit_a_phone(real_content: Content, lang: str) -> None:
    """At most 28 characters with the emoji; navigation emoji only on navigation buttons."""
    for node in real_content.nodes.values():
        if node.tree not in ("urgent", "registration"):
            continue
        for option in node.options:
            label = real_content.words[lang][f"node.{node.id}.opt.{option.id}"]
            assert len(label) <= 28, (lang, node.id, label)
            assert not any(e in label for e in NAV_EMOJI), (lang, node.id, label)
