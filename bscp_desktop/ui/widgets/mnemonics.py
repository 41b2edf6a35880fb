"""Alt mnemonics for a form's fields: each field's label gets a letter, unique within its window, so Alt+letter
goes straight to the field (the menus keep their own; a button's own letter is never taken). Letters are chosen
as a reader would guess them: the first letter of a word of the label that is still free, else any letter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def _letters_taken(window: QWidget) -> set[str]:
    """Letters the window's buttons already use (``&Save``)."""
    taken = set()
    for button in window.findChildren(QAbstractButton):
        text = button.text()
        i = text.find("&")
        if 0 <= i < len(text) - 1 and text[i + 1] != "&":
            taken.add(text[i + 1].lower())
    return taken


def _focus_target(field: QWidget) -> QWidget:
    """The widget inside ``field`` that takes the focus: a compound field's focus proxy, else its first widget
    that takes the focus by Tab (a label's mnemonic reaches only a widget that takes the focus itself)."""
    proxy = field.focusProxy()
    if proxy is not None:
        return proxy
    if field.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return field
    return next((w for w in field.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus), field)


def _candidates(text: str, taken: set[str]) -> list[int]:
    """The places in ``text`` a mnemonic may go, the best first: free word-initial letters, then other free
    letters (each letter once)."""
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalnum())]
    out: list[int] = []
    for i in [*starts, *range(len(text))]:
        if text[i].isalpha() and text[i].lower() not in taken and all(text[j].lower() != text[i].lower()
                                                                        for j in out):
            out.append(i)
    return out


def _match(options: list[list[str]]) -> list[str | None]:
    """A letter for as many labels as can have one, each letter once (a bipartite matching by augmenting
    paths: a later label may move an earlier one to its next choice), each label's earlier choices first."""
    owner: dict[str, int] = {}

    def place(k: int, seen: set[str]) -> bool:
        for letter in options[k]:
            if letter in seen:
                continue
            seen.add(letter)
            if letter not in owner or place(owner[letter], seen):
                owner[letter] = k
                return True
        return False

    for k in range(len(options)):
        place(k, set())
    chosen: list[str | None] = [None] * len(options)
    for letter, k in owner.items():
        chosen[k] = letter
    return chosen


def assign_mnemonics(window: QWidget) -> dict[str, QWidget]:
    """Give every labelled field of ``window`` (a label with a buddy) a unique Alt letter; returns letter → the
    field it reaches. Labels that already have one keep it; a label whose text holds a literal "&" is left."""
    taken = _letters_taken(window)
    reached: dict[str, QWidget] = {}
    labels = [lab for lab in window.findChildren(QLabel) if lab.buddy() is not None]
    for lab in labels:
        text = lab.text()
        i = text.find("&")
        if 0 <= i < len(text) - 1 and text[i + 1] != "&":
            taken.add(text[i + 1].lower())
            reached[text[i + 1].lower()] = lab.buddy()
    fresh = [lab for lab in labels if "&" not in lab.text()]
    places = [_candidates(lab.text(), taken) for lab in fresh]
    letters = _match([[lab.text()[i].lower() for i in where] for lab, where in zip(fresh, places, strict=True)])
    for lab, where, letter in zip(fresh, places, letters, strict=True):
        if letter is None:
            continue
        at = next(i for i in where if lab.text()[i].lower() == letter)
        reached[letter] = lab.buddy()
        lab.setBuddy(_focus_target(lab.buddy()))
        lab.setText(lab.text()[:at] + "&" + lab.text()[at:])
    return reached
