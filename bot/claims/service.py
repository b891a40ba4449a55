"""Make the documents the engine asked for (``MakeDocuments``): the service layer of wage claims.

The engine is pure and only says *that* documents are due, with the answers (already deleted from
the user's state in the same update). Here they are computed, filled in and rendered; the outputs
become the files (:class:`~bot.claims.render.File`) and the explanation in the user's language,
which the adapters deliver: the Telegram handlers through the outbox (in the update's transaction,
so a crash neither loses nor repeats them), the console by writing the files to a folder.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.claims import flow
from bot.claims.questions import Claim
from bot.claims.render import File, make_files
from bot.content.loader import ContentStore
from bot.content.render import render_placeholders
from bot.engine import Button, MakeDocuments, Output, Say
from bot.i18n import format_date

__all__ = ["Paperwork", "File"]

log = logging.getLogger(__name__)

#: The base rate is re-checked when its last confirmation is older than this (content report too).
RATE_STALE_DAYS = 90


class Paperwork:
    """Turns ``MakeDocuments`` into files and words; Telegram-free."""

    def __init__(self, content: ContentStore) -> None:
        self.content = content

    def apply(self, outputs: list[Output], today: dt.date) -> list[Output | File]:
        shown: list[Output | File] = []
        for out in outputs:
            if isinstance(out, MakeDocuments):
                shown.extend(self.documents(out, today))
            else:
                shown.append(out)
        return shown

    def documents(self, out: MakeDocuments, today: dt.date) -> list[Output | File]:
        content = self.content.current
        facts = content.claims
        claim = Claim.from_answers(out.answers)
        lang = out.lang

        def ui(key: str) -> str:
            found = content.word(lang, f"ui.{key}")
            return found.text if found else ""

        def render(text: str) -> str:
            return render_placeholders(text, lang, ui, content.mrp_for(today.year), year=today.year)

        if facts is None or claim is None:  # the content changed under the user: nothing to make
            log.warning("claim documents not made: %s", "no claims content" if facts is None else "answers")
            return [Say(ui("error"), ((Button(ui("menu"), "m"),),))]
        talk = flow.Talk(ui, render, lang, today, facts)
        calc = flow.calculation(talk, claim)
        captions = {
            f"{doc}.{kind}": ui(f"claim.file.{doc}.{kind}")
            for doc in facts.documents
            for kind in ("pdf", "docx")
        }
        files = make_files(claim, calc, facts, today, captions)
        log.info("claim documents made: %d files", len(files))
        due = today + dt.timedelta(days=facts.demand_days)
        deadline = format_date(due, lang)
        values = {
            "deadline_dat": format_date(due, lang, "dat") if lang in ("ky", "kk") else deadline,
            "owed": flow.money(calc.owed, cents=False),
            "penalty": flow.money(calc.penalty),
            "total": flow.money(calc.total),
            "deadline": deadline,
            "days": "{days:" + str(facts.demand_days) + "}",
            "date": format_date(today, lang),
            "rate": flow.number(facts.rules.rate),
            "rate_date": format_date(facts.rules.rate_date, lang),
            "site": facts.rate_check,
        }
        intro = render(ui("claim.done.intro").format(**values))
        calc_text = ui("claim.review.calc").format(**values) + "\n" + "\n".join(flow.calc_lines(talk, calc))
        if (today - facts.rules.rate_date).days > RATE_STALE_DAYS:
            calc_text += "\n<i>" + render(ui("claim.done.rate_old").format(**values)) + "</i>"
        explain = [
            render(ui(f"claim.done.{part}").format(**values))
            for part in ("claim", "complaint", "deliver", "limits", "attached" if out.attach else "deleted")
        ]
        rows = ((Button(ui("menu"), "m"),),)
        return [
            Say(intro + "\n\n" + calc_text),
            *files,
            Say("\n\n".join(explain), rows),
        ]
