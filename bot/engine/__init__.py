"""The dialogue engine: pure, synchronous, and ignorant of Telegram.

``handle(content, state, event, today)`` takes a user's state and one event and returns the new
state and a list of outputs. It neither stores nor sends anything: adapters (the Telegram
handlers, the console) turn updates into events, carry out the outputs, and save the state.
Modules: ``model`` (state, events, outputs), ``actions`` (button data), ``screens`` (the context
of one update and the screens it shows), ``deadlines`` (the personal deadlines form), ``texts``
(/mydata, the privacy notice, alerts), ``core`` (``handle`` and what it does for each event);
the wage-claim questions live in ``bot.claims.flow``.

Buttons carry short ASCII action strings (at most 64 bytes, as Telegram's callback_data must be):

    o|<content version>|<node>|<option>    choose an option of a node
    b|<content version>|<node>             back, from the screen of <node>
    m                                       main menu
    p                                       show the language picker
    l|<lang>                                switch language
    h|<content version>|<node>             yes, pass my question to a person (hand-off)
    hx                                      cancel the hand-off before it starts
    r|<case>|<1-5>                          rate the help of a closed case
    f|go  f|show  f|on  f|off               personal deadlines: start, show, reminders on/off
    f|<question>|<answer>                   a button answer to a deadlines question
    c|...                                   the wage-claim questionnaire (bot/claims/flow.py)
    g|<content version>|<node>             go to a node (a typed question's suggestion, a
                                            law-change alert); opens from older content too
    x|yes  x|no                             /forget: yes, delete my data / no, keep it
    w|<node>|on  w|<node>|off               tell me / stop telling me when the node's topic changes

A button of an older screen or of an older content version is answered with "this menu is out
of date" and the user's current screen, never with an error. A user whose screen (or a screen
in their back-stack, or a button's screen) was removed from the content is taken to the start of
that topic with a short notice, or to the main menu if the whole topic is gone. ``g`` and ``w``
name a node that still exists: they work from any message.
"""

from __future__ import annotations

from bot.engine.actions import (
    parse_action,
)
from bot.engine.core import (
    handle,
)
from bot.engine.deadlines import (
    reminder_text,
)
from bot.engine.model import (
    BUTTON_LIMIT,
    CONSULATE_CONTACTS,
    MAX_STACK,
    NAV_EMOJI,
    Button,
    CancelReminders,
    CaseClosed,
    CloseCase,
    Command,
    Event,
    Forget,
    MakeDocuments,
    Media,
    MissingWords,
    OpenCase,
    Output,
    Press,
    Preview,
    PrivacyNotice,
    Rate,
    Relay,
    Say,
    SetReminders,
    ShowMyData,
    Start,
    State,
    Text,
    Toast,
    Unmatched,
    Watch,
)
from bot.engine.screens import (
    case_facts,
    contacts_text,
    screen,
)
from bot.engine.texts import (
    StoredCase,
    alert_message,
    my_data_text,
    privacy_notice_text,
    topic_name,
)

__all__ = [
    "MAX_STACK",
    "BUTTON_LIMIT",
    "NAV_EMOJI",
    "State",
    "Event",
    "Start",
    "Press",
    "Command",
    "Text",
    "Media",
    "Preview",
    "Button",
    "Output",
    "Say",
    "Toast",
    "MissingWords",
    "OpenCase",
    "Relay",
    "CloseCase",
    "Rate",
    "CaseClosed",
    "SetReminders",
    "CancelReminders",
    "Unmatched",
    "Forget",
    "ShowMyData",
    "PrivacyNotice",
    "Watch",
    "MakeDocuments",
    "StoredCase",
    "handle",
    "alert_message",
    "topic_name",
    "my_data_text",
    "privacy_notice_text",
    "reminder_text",
    "case_facts",
    "contacts_text",
    "CONSULATE_CONTACTS",
    "parse_action",
    "screen",
]
