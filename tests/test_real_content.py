"""The content the bot ships with: it passes the checker, and real paths say what they must.

Paths are walked through the engine by option ids (language-neutral), so the same walk runs in
every language. What a good answer must contain comes from FACTS.md §12.
"""

from __future__ import annotations

import re

import pytest

from bot.content.check import check_content
from bot.content.model import Content
from bot.engine import MissingWords, Press, Say, State, handle
from bot.html import to_plain
from bot.i18n import LANGS
from tests.conftest import TODAY


def walk(content: Content, lang: str, path: list[str]) -> tuple[str, list]:
    """Press the options ``path`` from the main menu; return the last screen's plain text."""
    state = State(user_id=1, lang=lang, lang_chosen=True, node="main")
    last: Say | None = None
    outputs: list = []
    for option in path:
        node = content.nodes[state.node]
        assert option in [o.id for o in node.options], f"{state.node} has no option {option!r}"
        data = next(b.data for row in _buttons(content, state) for b in row if b.data.endswith(f"|{option}"))
        state, outputs = handle(content, state, Press(data), TODAY)
        says = [o for o in outputs if isinstance(o, Say)]
        assert says, f"no screen after {option!r}"
        last = says[-1]
        assert not [o for o in outputs if isinstance(o, MissingWords)], f"{lang}: words missing on {path}"
    assert last is not None
    return _normal(to_plain(last.text)), outputs


def _buttons(content: Content, state: State):
    from bot.engine import screen

    say, _ = screen(content, state.lang, state.node, TODAY)
    return say.buttons


def _normal(text: str) -> str:
    # babel groups digits with (narrow) no-break spaces; compare with plain spaces.
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_shipped_content_passes_the_checker(real_content: Content) -> None:
    assert check_content(real_content, TODAY) == []


def test_every_language_is_complete(real_content: Content) -> None:
    assert set(real_content.languages) == set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_registration_reachable_from_menu_in_every_language(real_content: Content, lang: str) -> None:
    text, _ = walk(real_content, lang, ["reg"])
    ru_text, _ = walk(real_content, "ru", ["reg"])
    assert text and (lang == "ru" or text != ru_text)


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_worker_four_days_over(real_content: Content, lang: str) -> None:
    """FACTS §12.12: 3-5 days = 10 MRP (43,250 KZT in 2026); longer: check Art. 517; what to do."""
    text, _ = walk(real_content, lang, ["reg", "kg", "over"])
    assert "10" in text and "43 250" in text
    assert "517" in text and "adilet.zan.kz" in text  # longer overstays: where to check
    do, _ = walk(real_content, lang, ["reg", "kg", "over", "do"])
    assert "1414" in do


@pytest.mark.parametrize("lang", LANGS)
def test_uzbek_arriving_in_august_2026(real_content: Content, lang: str) -> None:
    """FACTS §12.13: 30 days per stay, 90 in 180, self-registration by day 30 with a check line,
    the owner confirms in an app, re-register after moving."""
    stay, _ = walk(real_content, lang, ["reg", "uz"])
    for n in ("30", "90", "180"):
        assert n in stay
    self_reg, _ = walk(real_content, lang, ["reg", "uz", "self"])
    assert "2026" in self_reg and "30" in self_reg and "egov.kz" in self_reg
    how, _ = walk(real_content, lang, ["reg", "uz", "self", "how"])
    assert "1414" in how
    move, _ = walk(real_content, lang, ["reg", "uz", "self", "move"])
    assert "5" in move


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_worker_trp(real_content: Content, lang: str) -> None:
    """FACTS §2.1: TRP for the contract term, max 1 year; new employer -> 15 days."""
    text, _ = walk(real_content, lang, ["reg", "kg", "work"])
    assert "12" in text and "15" in text and "egov.kz" in text


@pytest.mark.parametrize("lang", LANGS)
def test_uzbek_nanny_wants_to_work_legally(real_content: Content, lang: str) -> None:
    """FACTS §12.6: household permit; eGov only; 1-12 months; only the issuing district; 4 MRP a
    month (check at payment); contract in ЕСУТД; straight to court; 3 months for a dismissal."""
    home, _ = walk(real_content, lang, ["work", "uz", "home"])
    assert "1" in home and "12" in home
    apply, _ = walk(real_content, lang, ["work", "uz", "home", "apply"])
    assert "egov.kz" in apply and "2026" in apply
    tax, _ = walk(real_content, lang, ["work", "uz", "home", "apply", "next"])
    assert "4" in tax and "17 300" in tax and "egov.kz" in tax
    contract, _ = walk(real_content, lang, ["work", "uz", "home", "contract"])
    assert "ЕСУТД" in contract or "hr.enbek.kz" in contract
    dispute, _ = walk(real_content, lang, ["work", "uz", "home", "dispute"])
    assert "159" in dispute and "3" in dispute


@pytest.mark.parametrize("lang", LANGS)
def test_directory_never_invents_kyrgyz_consulate_numbers(real_content: Content, lang: str) -> None:
    """FACTS §11.8: Kyrgyz embassy and consulate contacts NOT FOUND: website and a check line only;
    Uzbek consulates from third-party listings always come with their check line."""
    kg, _ = walk(real_content, lang, ["contacts", "kg"])
    assert "mfa.gov.kg" in kg and "📞" not in kg
    uz, _ = walk(real_content, lang, ["contacts", "uz", "alm"])
    assert "+7 727 390-26-16" in uz and "almaty.mfa.uz" in uz


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("citizenship", ["kg", "uz"])
def test_farm_worker_paid_at_the_end_of_the_season(
    real_content: Content, lang: str, citizenship: str
) -> None:
    """FACTS §12.4: asks citizenship; wages monthly by the 10th; 1-year deadline; evidence checklist;
    small farm = no commission, court directly, no fee (with a check); inspectorate via eOtinish.kz."""
    ask, _ = walk(real_content, lang, ["pay"])
    assert "10" in ask and "1" in ask
    season, _ = walk(real_content, lang, ["pay", citizenship, "season"])
    assert "10" in season and "1" in season and "eOtinish.kz" in season and "2016" in season
    evidence, _ = walk(real_content, lang, ["pay", citizenship, "season", "steps"])
    assert evidence.count("•") >= 6  # the checklist
    where, _ = walk(real_content, lang, ["pay", citizenship, "season", "court"])
    assert "159" in where and "15" in where


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_market_worker_without_contract(real_content: Content, lang: str) -> None:
    """FACTS §12.5: no permit but a registered contract and, after 30 days, a TRP; the job counts
    from day one; employer fined; court can establish the employment; honest about the risk."""
    kg, _ = walk(real_content, lang, ["pay", "kg"])
    assert "30" in kg
    no_contract, _ = walk(real_content, lang, ["pay", "kg", "nocontr"])
    assert "150" in no_contract and "2017" in no_contract and "2024" in no_contract
    threat, _ = walk(real_content, lang, ["pay", "kg", "nocontr", "threat"])
    assert "102" in threat and "112" in threat
    consulate, _ = walk(real_content, lang, ["pay", "kg", "nocontr", "threat", "help", "kg"])
    assert "mfa.gov.kg" in consulate


CAVEAT_11616 = "11616"


@pytest.mark.parametrize("lang", LANGS)
def test_builder_held_on_a_site(real_content: Content, lang: str) -> None:
    """FACTS §12.1: forced labour; 102/112 now; exact location; 111; consulate contacts not
    invented; 11616 with its caveat; a person takes over."""
    sos, _ = walk(real_content, lang, ["urgent"])
    first_line = sos.splitlines()[0]
    assert "102" in first_line and "112" in first_line  # the key line comes first
    assert "111" in sos and CAVEAT_11616 in sos
    locked, _ = walk(real_content, lang, ["urgent", "locked"])
    assert "102" in locked.splitlines()[0]
    consulate, _ = walk(real_content, lang, ["urgent", "locked", "cons", "uz"])
    assert "kazakhstan.mfa.uz" in consulate
    person, outputs = walk(real_content, lang, ["urgent", "locked", "person"])
    assert "102" in person and "111" in person


@pytest.mark.parametrize("lang", LANGS)
def test_relative_reports_escaped_workers(real_content: Content, lang: str) -> None:
    """FACTS §12.2/12.3: a third-party report is accepted; location details; consulate for return
    papers; a police report can open a criminal case with the wage claim and no fee."""
    other, _ = walk(real_content, lang, ["urgent", "other"])
    assert "102" in other and "111" in other
    escaped, _ = walk(real_content, lang, ["urgent", "other", "escaped"])
    assert "111" in escaped and "2016" in escaped
    case, _ = walk(real_content, lang, ["urgent", "other", "escaped", "case"])
    assert "126" in case and "128" in case


@pytest.mark.parametrize("lang", LANGS)
def test_employer_keeps_the_passport(real_content: Content, lang: str) -> None:
    """FACTS §12.7: illegal, a trafficking sign; copies; escalate with unpaid wages or threats;
    lost passport -> consulate."""
    passport, _ = walk(real_content, lang, ["urgent", "pass"])
    assert "111" in passport and "102" in passport
    consulate, _ = walk(real_content, lang, ["urgent", "pass", "cons", "kg"])
    assert "mfa.gov.kg" in consulate and "📞" not in consulate


@pytest.mark.parametrize("lang", LANGS)
def test_harassment_at_work(real_content: Content, lang: str) -> None:
    """FACTS §12.14: 111 (24/7, free, anonymous), 102 in danger, crisis centres, consulate."""
    harass, _ = walk(real_content, lang, ["urgent", "harass"])
    assert "111" in harass and "102" in harass and "16" in harass


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_worker_near_retirement(real_content: Content, lang: str) -> None:
    """FACTS §12.15: EAEU agreement since 1 Jan 2021; periods add up; earlier years under national
    law and the 1992 CIS agreement; keep proof; check enpf.kz; Uzbeks not covered."""
    text, _ = walk(real_content, lang, ["work", "kg", "pension"])
    assert "2021" in text and "1992" in text and "enpf.kz" in text
    uz, _ = walk(real_content, lang, ["work", "uz", "pension"])
    assert uz == text


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("ru", "казахский, русский"),
        ("ky", "казакча, орусча"),
        ("uz", "qozoqcha, ruscha"),
        ("kk", "қазақ тілі"),
    ],
)
def test_contact_languages_are_named_in_the_users_language(
    real_content: Content, lang: str, names: str
) -> None:
    """11616 answered in Kazakh and Russian only (FACTS §10): say so, so nobody expects Uzbek."""
    sos, _ = walk(real_content, lang, ["urgent"])
    assert names in sos


@pytest.mark.parametrize("lang", LANGS)
def test_kyrgyz_builder_injured_then_dismissed(real_content: Content, lang: str) -> None:
    """FACTS §12.8: emergency care free (103/112) until stable; employer's insurance or the
    employer pays; dismissal deadlines; legal aid for injuries (migrants unconfirmed)."""
    injury, _ = walk(real_content, lang, ["med", "work"])
    assert "103" in injury and "112" in injury
    fired, _ = walk(real_content, lang, ["med", "work", "fired"])
    for n in ("1", "2", "3"):
        assert n in fired
    assert "eOtinish.kz" in fired and "adilet.zan.kz" in fired


@pytest.mark.parametrize("lang", LANGS)
def test_pregnant_kyrgyz_woman_without_contract(real_content: Content, lang: str) -> None:
    """FACTS §12.9: emergency birth free; planned may be paid unless insured; check msqory.kz or
    @SaqtandyryBot; no overtime in pregnancy."""
    preg, _ = walk(real_content, lang, ["med", "preg"])
    assert "103" in preg and "112" in preg
    check, _ = walk(real_content, lang, ["med", "preg", "check"])
    assert "msqory.kz" in check and "@SaqtandyryBot" in check
    assert walk(real_content, lang, ["med", "preg", "work"])[0]


@pytest.mark.parametrize("lang", LANGS)
def test_undocumented_uzbek_woman_near_term(real_content: Content, lang: str) -> None:
    """FACTS §12.10: birth assisted free; certificate question unresolved (said so); consulate
    and NGO before the birth; keep hospital papers."""
    nodoc, _ = walk(real_content, lang, ["med", "preg", "nodoc"])
    assert "2018" in nodoc
    consulate, _ = walk(real_content, lang, ["med", "preg", "nodoc", "uz"])
    assert "kazakhstan.mfa.uz" in consulate


@pytest.mark.parametrize("lang", LANGS)
def test_cough_and_fear_of_a_tb_test(real_content: Content, lang: str) -> None:
    """FACTS §12.11: TB treated free for all foreigners (Order No. 121); clinics report TB, the
    consequences unconfirmed, no promise of confidentiality; finish treatment."""
    tb, _ = walk(real_content, lang, ["med", "tb"])
    assert "121" in tb and "2020" in tb
    report, _ = walk(real_content, lang, ["med", "tb", "report"])
    assert report and report != tb


@pytest.mark.parametrize("lang", LANGS)
def test_contract_topic_for_a_worker_without_contract(real_content: Content, lang: str) -> None:
    """FACTS §12.5 from the contract topic: job counts from day one (Art. 38), employer fined,
    a TRP needs a contract, what to do, honest words on threats."""
    none, _ = walk(real_content, lang, ["job", "none"])
    assert "38" in none and "150" in none
    kg, _ = walk(real_content, lang, ["job", "none", "kg"])
    assert "30" in kg
    claim, _ = walk(real_content, lang, ["job", "none", "kg", "do"])
    assert "eOtinish.kz" in claim and "1414" in claim and "2017" in claim
    threat, _ = walk(real_content, lang, ["job", "none", "kg", "thr"])
    assert "102" in threat


@pytest.mark.parametrize("lang", LANGS)
def test_passport_kept_for_safekeeping_in_the_contract_topic(real_content: Content, lang: str) -> None:
    """FACTS §12.7 from the contract topic: escalation when combined with unpaid wages or threats."""
    assert walk(real_content, lang, ["job", "pass"])[0]
    escalate, outputs = walk(real_content, lang, ["job", "pass", "sos"])
    assert "102" in escalate and "112" in escalate
    consulate, _ = walk(real_content, lang, ["job", "pass", "uzc"])
    assert "kazakhstan.mfa.uz" in consulate or "almaty.mfa.uz" in consulate


@pytest.mark.parametrize(
    "tree", ["urgent", "registration", "work", "contract", "wages", "health", "directory"]
)
def test_every_topic_has_a_deep_link(real_content: Content, tree: str) -> None:
    from bot.engine import Start

    state = State(user_id=1, lang="ky", lang_chosen=True, node="main")
    state, outputs = handle(real_content, state, Start(payload=tree, language_code="ky"), TODAY)
    assert state.node == real_content.trees[tree]
    assert [o for o in outputs if isinstance(o, Say)]
