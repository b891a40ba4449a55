"""What the engine works with: a user's state, the events it takes, the outputs it returns.

Plain frozen dataclasses, no behaviour; the adapters build events and carry out outputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.i18n import DEFAULT_LANG

MAX_STACK = 32
#: The longest label a content button (an option of a node) may have, emoji included: phones
#: cut longer labels with "…". Enforced by ``content check``.
BUTTON_LIMIT = 28
#: Emoji of the navigation buttons (ui.yaml: menu, back, language). Content buttons must not use
#: them, so "🏠" always means the main menu and "⬅️" always means back.
NAV_EMOJI = ("🏠", "⬅️", "🌐", "↩️")
_MAIN = "main"
_PERSON = "person"  # the "talk to a person" node of the main menu (/help_me opens it)
_URGENT_TREE = "urgent"
_DEADLINES = "dl"  # the "my deadlines" node of the main menu (/reminders opens it)
#: Contacts of the consulates, by citizenship: shown with the numbers before a hand-off.
CONSULATE_CONTACTS = {"kg": ("kg_emb",), "uz": ("uz_emb", "uz_migr")}


# --- State -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Where one user is. ``node`` is None before the first /start."""

    user_id: int
    lang: str = DEFAULT_LANG
    lang_chosen: bool = False
    node: str | None = None
    stack: tuple[str, ...] = ()
    #: Hand-off to a person: None, "describe" (we wait for the description) or "case" (open).
    handoff: str | None = None
    #: Personal deadlines: the question being asked, answers so far, the last complete answers,
    #: and whether the user asked for reminders.
    form: str | None = None
    draft: tuple[tuple[str, str], ...] = ()
    answers: tuple[tuple[str, str], ...] = ()
    reminders: bool = False
    #: The tree of ``node`` when it was last shown: if the node is removed from the content, the
    #: user is taken to the start of this topic. Derived from ``node``, so not compared.
    tree: str | None = field(default=None, compare=False)
    #: An admin's preview of a language not yet offered to everyone (the picker offers it to them).
    preview: str | None = None
    #: Topics (tree ids) the user asked to be told about when their rules change (stored apart).
    watches: frozenset[str] = frozenset()
    #: Wage claim (bot/claims): the question being asked and the answers so far; deleted when the
    #: documents are made or the user stops.
    claim_step: str | None = None
    claim: tuple[tuple[str, str], ...] = ()


# --- Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """/start, possibly with a deep-link payload, and the client's language code."""

    payload: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class Press:
    """A button was pressed; ``data`` is its action string."""

    data: str


@dataclass(frozen=True)
class Command:
    """A command other than /start: menu, language, help, cancel."""

    name: str


@dataclass(frozen=True)
class Text:
    """Free text the user typed; ``ref`` is the message's id in the chat (for relaying it)."""

    text: str
    ref: int | None = None


@dataclass(frozen=True)
class Media:
    """Something that is not text: photo, sticker, voice, location, document..."""

    kind: str
    ref: int | None = None


@dataclass(frozen=True)
class CaseClosed:
    """An operator closed the user's case ``case_id``."""

    case_id: int


@dataclass(frozen=True)
class Preview:
    """An admin's /preview: ``lang`` (a language code), "off", or "" (show the languages).

    Only the adapter knows who is an admin: it sends this event for admins only.
    """

    arg: str


Event = Start | Press | Command | Text | Media | CaseClosed | Preview


# --- Outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Say:
    """Show a message. ``replace``: it may replace the screen the event came from."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    replace: bool = False


@dataclass(frozen=True)
class Toast:
    """A short notice (Telegram shows it as the answer to a button press)."""

    text: str


@dataclass(frozen=True)
class MissingWords:
    """A text was missing in the user's language and Russian was used instead."""

    lang: str
    key: str


@dataclass(frozen=True)
class OpenCase:
    """Hand the user's case to the operators. ``ref``: the message that describes it."""

    description: str | None
    kind: str
    ref: int | None
    path: tuple[str, ...]
    topic: str
    citizenship: str | None
    urgent: bool


@dataclass(frozen=True)
class Relay:
    """Pass the user's message ``ref`` to the operators of the open case."""

    ref: int | None
    kind: str
    text: str | None = None


@dataclass(frozen=True)
class CloseCase:
    """The user closed their open case (/end)."""


@dataclass(frozen=True)
class Rate:
    """The user rated the help of case ``case_id`` with ``stars`` (1-5)."""

    case_id: int
    stars: int


@dataclass(frozen=True)
class SetReminders:
    """Schedule reminders for these deadlines (kind, date), replacing earlier ones."""

    deadlines: tuple[tuple[str, dt.date], ...]


@dataclass(frozen=True)
class CancelReminders:
    """Cancel every reminder of the user (they turned them off or deleted their data)."""


@dataclass(frozen=True)
class Unmatched:
    """A typed question nothing matched (counted for editors, without the user's identity)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Forget:
    """The user confirmed /forget: delete every row about them and every text they wrote or got."""


@dataclass(frozen=True)
class ShowMyData:
    """The user asked what is stored about them (/mydata); the adapter reads it and shows it."""


@dataclass(frozen=True)
class PrivacyNotice:
    """The short privacy notice of a user's first /start (it needs the retention period)."""


@dataclass(frozen=True)
class Watch:
    """Start (``on``) or stop telling the user when the rules of topic ``tree`` change."""

    tree: str
    on: bool


@dataclass(frozen=True)
class MakeDocuments:
    """Make the wage-claim documents from these answers and send them (the service renders them)."""

    answers: tuple[tuple[str, str], ...]
    lang: str
    attach: bool = False  # the answers also go to an operator (they are not simply deleted)


Output = (
    Say
    | Toast
    | MissingWords
    | OpenCase
    | Relay
    | CloseCase
    | Rate
    | SetReminders
    | CancelReminders
    | Unmatched
    | Forget
    | ShowMyData
    | PrivacyNotice
    | Watch
    | MakeDocuments
)
