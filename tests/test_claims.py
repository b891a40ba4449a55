"""Wage claims in the engine: the questionnaire (questions, bad answers asked again, corrections,
stopping), the answers deleted or given to an operator, and the checks on the templates and facts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.claims.questions import Claim
from bot.content.check import claims_questions, report
from bot.content.loader import load_content
from bot.content.model import Content, ContentInvalid
from bot.engine import MakeDocuments, OpenCase, Press, Say, Start, State, Text, handle, my_data_text
from tests.conftest import REAL_CONTENT

TODAY = dt.date(2026, 12, 5)


# --- the questionnaire in the engine ------------------------------------------------------------


def _run(content: Content, state: State, *events) -> tuple[State, list]:
    outputs: list = []
    for event in events:
        state, out = handle(content, state, event, TODAY)
        outputs = out
    return state, outputs


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _press(data: str) -> Press:
    return Press(data)


def _at_claim(content: Content) -> State:
    state = State(user_id=5, lang="ru", lang_chosen=True, node="pay_doc", stack=("main", "pay_claim"))
    state, outputs = _run(content, state, _press("c|go"))
    assert state.claim_step == "name" and "Вопрос 1 из 13" in outputs[-1].text
    return state


ANSWERS = [
    Text("Эргешов Нурбек Асанович"),
    _press("c|a|cit|kg"),
    Text("ТОО «Строй-Алем»"),
    _press("c|a|emp_id|?"),
    Text("г. Алматы, ул. Райымбека, 200"),
    Text("подсобный рабочий"),
    Text("1 июня 2026"),
    Text("200к"),
    _press("c|a|pay_how|verbal"),
    Text("09.2026"),
    _press("c|a|m_to|2026-10"),
    _press("c|a|owed|auto"),
    _press("c|t|msgs"),
    _press("c|d"),
]


def test_the_questionnaire_ends_in_a_review_with_the_calculation(real_content: Content) -> None:
    state, outputs = _run(real_content, _at_claim(real_content), *ANSWERS)
    assert state.claim_step == "review"
    text = _plain(outputs[-1].text)
    for part in ("Эргешов Нурбек Асанович", "ТОО «Строй-Алем»", "не знаю", "400 000 ₸", "9 986,30 ₸"):
        assert part in text
    assert "56 дней" in text  # the calculation is shown, month by month


def test_bad_answers_are_asked_again_in_the_users_language(real_content: Content) -> None:
    state = _at_claim(real_content)
    state, _ = _run(real_content, state, *ANSWERS[:6])
    state, outputs = _run(real_content, state, Text("31.02.2026"))
    assert state.claim_step == "start" and "Не понял дату" in outputs[-1].text
    state, _ = _run(real_content, state, Text("1.06.2026"))
    state, outputs = _run(real_content, state, Text("-200000"))
    assert state.claim_step == "pay" and "меньше нуля" in outputs[-1].text
    state, outputs = _run(real_content, state, _press("c|a|m_from|2026-09"))  # a button of a later question
    assert state.claim_step == "pay" and "от другого вопроса" in outputs[-1].text


def test_an_answer_is_corrected_from_the_review(real_content: Content) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS)
    state, outputs = _run(real_content, state, _press("c|fix"), _press("c|e|pay"))
    assert state.claim_step == "pay!"
    state, outputs = _run(real_content, state, Text("250 000"))
    assert state.claim_step == "review"  # straight back to the review
    assert "500 000 ₸" in _plain(outputs[-1].text)  # the computed debt follows the new pay


def test_every_answer_can_be_corrected_the_last_month_too(real_content: Content) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS)
    state, outputs = _run(real_content, state, _press("c|fix"))
    buttons = [b.data for row in outputs[-1].buttons for b in row]
    assert all(f"c|e|{step}" in buttons for step in ("name", "m_from", "m_to", "owed", "evidence"))
    state, outputs = _run(real_content, state, _press("c|e|m_to"), _press("c|a|m_to|2026-11"))
    assert state.claim_step == "review"
    assert "600 000 ₸" in _plain(outputs[-1].text)  # three months now
    # Moving the first month after the last one asks for the last month again.
    state, outputs = _run(real_content, state, _press("c|fix"), _press("c|e|m_from"), Text("12.2026"))
    assert state.claim_step == "m_to!"


def test_making_the_documents_deletes_the_answers_from_the_state(real_content: Content) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS)
    state, outputs = _run(real_content, state, _press("c|make"))
    (make,) = [o for o in outputs if isinstance(o, MakeDocuments)]
    assert Claim.from_answers(make.answers).name == "Эргешов Нурбек Асанович"
    assert state.claim_step is None and state.claim == ()
    assert not any(isinstance(o, OpenCase) for o in outputs)


def test_giving_the_answers_to_an_operator_opens_a_case_with_them(real_content: Content) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS)
    state, outputs = _run(real_content, state, _press("c|makeop"))
    (case,) = [o for o in outputs if isinstance(o, OpenCase)]
    assert "Эргешов Нурбек Асанович" in case.description and case.topic == "wages"
    assert case.citizenship == "kg" and state.handoff == "case" and state.claim == ()


@pytest.mark.parametrize("leave", [_press("c|stop"), _press("m"), Start(), Text("меня бьют, держат силой")])
def test_stopping_or_leaving_deletes_the_answers(real_content: Content, leave) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS[:5])
    assert state.claim
    state, outputs = _run(real_content, state, leave)
    assert state.claim_step is None and state.claim == ()
    assert any(isinstance(o, Say) for o in outputs)


def test_mydata_tells_about_answers_being_collected(real_content: Content) -> None:
    state, _ = _run(real_content, _at_claim(real_content), *ANSWERS[:3])
    text = my_data_text(real_content, state, TODAY, retention_days=180, reminders=[], cases=[], unmatched=[])
    assert "Ответы для претензии (документы ещё не готовы): 3" in text


def test_every_language_has_the_claim_words(real_content: Content) -> None:
    for lang in real_content.languages:
        state = State(user_id=5, lang=lang, lang_chosen=True, node="pay_doc")
        state, outputs = _run(real_content, state, *[_press("c|go"), *ANSWERS])
        assert state.claim_step == "review", lang
        assert "Эргешов" in outputs[-1].text


# --- templates and facts ---------------------------------------------------------------------


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


def _errors(root: Path) -> str:
    with pytest.raises(ContentInvalid) as info:
        load_content(root)
    return str(info.value)


def test_unknown_placeholders_are_refused(content_copy: Path) -> None:
    path = content_copy / "documents" / "claim_employer.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{job}", "{jobb}"), encoding="utf-8")
    errors = _errors(content_copy)
    assert "unknown placeholder {jobb}" in errors and "{job} is not used" in errors


def test_a_missing_legal_basis_is_refused(content_copy: Path) -> None:
    path = content_copy / "documents" / "complaint_inspectorate.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{law:penalty}", "законом"), encoding="utf-8")
    assert "the legal basis {law:penalty} is missing" in _errors(content_copy)
    facts = content_copy / "facts.yaml"
    text = (content_copy / "documents" / "claim_employer.yaml").read_text(encoding="utf-8")
    assert "{law:limits}" in text
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("    limits:", "    limitz:"), encoding="utf-8"
    )
    assert "no law 'limits'" in _errors(content_copy)


def test_an_old_base_rate_is_an_open_question(real_content: Content) -> None:
    assert real_content.claims is not None
    checked = real_content.claims.rules.rate_date
    fresh = checked + dt.timedelta(days=30)
    assert not any("base_rate" in q for q in claims_questions(real_content, fresh))
    late = checked + dt.timedelta(days=100)
    assert any("base_rate" in q and "nationalbank.kz" in q for q in claims_questions(real_content, late))
    assert "claims.base_rate" in report(real_content, late)
