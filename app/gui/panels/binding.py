"""The one binding helper for every properties field.

widget -> model: the user's value is parsed and sent through the DocumentEditor
as one undo command; a refused value (a conversion of 1.5) never reaches the
model: the field keeps what the user typed, shows the reason under it, and Esc
puts the model's value back. model -> widget: when the item changes (undo, an
edit elsewhere), the widget is updated with its signals blocked, so no
feedback loop and no extra undo step.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from models.errors import EditError
from models.units import percent

ERROR_STYLE = "border: 1px solid #e03131;"


@contextmanager
def signals_blocked(widget: QObject):
    previous = widget.blockSignals(True)
    try:
        yield
    finally:
        widget.blockSignals(previous)


class ParseError(ValueError):
    """The text is not a value of the field's type; the message says what is expected, and
    ``suggestion`` is the text that was probably meant ("45%" for "45"), when there is one."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def parse_number(text: str) -> float | None:
    text = text.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ParseError(f"'{text}' is not a number; type digits, like 250 or 0.5") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("type a finite number")
    return value


def parse_share(text: str) -> float | None:
    """A conversion: '30%' or '0.3' both mean 0.3; a share over 100% is refused with what to type.

    >>> parse_share("30%"), parse_share("0.3"), parse_share("")
    (0.3, 0.3, None)
    >>> parse_share("45")
    Traceback (most recent call last):
    ...
    app.gui.panels.binding.ParseError: 45 is more than 1; did you mean 45%? Type a share such as 45% or 0.45
    """
    text = text.strip()
    if text.endswith("%"):
        value = parse_number(text[:-1])
        if value is not None and not 0 <= value <= 100:
            raise ParseError(
                f"{text} is not between 0% and 100%: a conversion is the share of leads "
                "that go on. Type a share such as 30%"
            )
        return None if value is None else round(value / 100, 6)
    value = parse_number(text)
    if value is not None and 1 < value <= 100:
        raise ParseError(
            f"{value:g} is more than 1; did you mean {value:g}%? "
            f"Type a share such as {value:g}% or {value / 100:g}",
            suggestion=f"{value:g}%",
        )
    if value is not None and not 0 <= value <= 1:
        raise ParseError(
            f"{value:g} is not a share; type one between 0% and 100%, such as 30% or 0.3"
        )
    return value


format_share = percent  # shares read the same in the panel, the tables and every export


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


class _PlainTextEdit(QPlainTextEdit):
    """Multi-line text; with ``as_list`` each non-empty line is one item of a list field."""

    editing_finished = Signal()
    as_list = False

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.editing_finished.emit()


class FieldBinding(QObject):
    """Ties one widget to one field of one or more items through ``commit``."""

    def __init__(
        self,
        widget: QWidget,
        error_label: QLabel,
        read: Callable[[], Any],
        commit: Callable[[Any], None],
        to_text: Callable[[Any], str] = str,
        from_text: Callable[[str], Any] = lambda s: s,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or widget)
        self.widget, self.error_label = widget, error_label
        self.read, self.commit_value = read, commit
        self.to_text, self.from_text = to_text, from_text
        self.in_error = False
        self.suggestion: str | None = None  # what the error offers to use instead ("45%")
        self._refused_text = ""  # the text the error is about
        error_label.linkActivated.connect(lambda _: self.accept_suggestion())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(600)
        self._debounce.timeout.connect(self.commit)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(self.commit)
            widget.textEdited.connect(lambda _: self._debounce.start())
        elif isinstance(widget, _PlainTextEdit):
            widget.editing_finished.connect(self.commit)
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _: self.commit())
        elif isinstance(widget, QSpinBox):
            widget.editingFinished.connect(self.commit)
        widget.installEventFilter(self)
        self.refresh()

    # model -> widget
    def refresh(self) -> None:
        if self.in_error:
            return
        value = self.read()
        with signals_blocked(self.widget):
            if isinstance(self.widget, QLineEdit):
                text = self.to_text(value)
                if self.widget.text() != text:
                    self.widget.setText(text)
            elif isinstance(self.widget, _PlainTextEdit):
                text = "\n".join(value or []) if self.widget.as_list else (value or "")
                if self.widget.toPlainText() != text:
                    self.widget.setPlainText(text)
            elif isinstance(self.widget, QComboBox):
                index = self.widget.findData(value)
                self.widget.setCurrentIndex(max(index, 0))
            elif isinstance(self.widget, QSpinBox):
                self.widget.setValue(int(value or 0))
        self._settled()

    def _value(self) -> Any:
        if isinstance(self.widget, QLineEdit):
            return self.from_text(self.widget.text())
        if isinstance(self.widget, _PlainTextEdit):
            text = self.widget.toPlainText()
            if not self.widget.as_list:
                return text
            return [line.strip() for line in text.splitlines() if line.strip()]
        if isinstance(self.widget, QComboBox):
            return self.widget.currentData()
        if isinstance(self.widget, QSpinBox):
            return self.widget.value()
        raise TypeError(type(self.widget))

    # widget -> model
    def accept_suggestion(self) -> None:
        """Use what the error offered ("45%" for "45"): one click, or Enter on the refused text."""
        if self.suggestion is not None and isinstance(self.widget, QLineEdit):
            self.widget.setText(self.suggestion)
            self.widget.setModified(True)
            self.commit()

    def commit(self) -> None:
        self._debounce.stop()
        if (
            self.in_error
            and self.suggestion is not None
            and isinstance(self.widget, QLineEdit)
            and self.widget.text() == self._refused_text
            and self.widget.hasFocus()
        ):  # Enter again on the refused text: take the suggestion
            self.accept_suggestion()
            return
        if self._is_text() and not self._typing() and not self.in_error:
            # nothing typed since the field last showed the map: leaving it changes nothing (it
            # may still show another map's value while a newly opened one replaces it)
            return
        try:
            value = self._value()
            if value != self.read():
                self.commit_value(value)
        except (ParseError, EditError) as error:
            self._show_error(str(error), getattr(error, "suggestion", None))
            return
        self._clear_error()
        self.refresh()

    def _settled(self) -> None:
        """The field shows what the map holds: Ctrl+Z now undoes the map, not the typing."""
        if isinstance(self.widget, QLineEdit):
            self.widget.setModified(False)
        elif isinstance(self.widget, _PlainTextEdit):
            self.widget.document().setModified(False)

    def _is_text(self) -> bool:
        return isinstance(self.widget, (QLineEdit, _PlainTextEdit))

    def _typing(self) -> bool:
        if isinstance(self.widget, QLineEdit):
            return self.widget.isModified()
        if isinstance(self.widget, _PlainTextEdit):
            return self.widget.document().isModified()
        return False

    def revert(self) -> None:
        self._clear_error()
        self.refresh()

    def _show_error(self, text: str, suggestion: str | None = None) -> None:
        self.in_error = True
        self.suggestion = suggestion
        self._refused_text = self.widget_text()
        if suggestion is None:
            self.error_label.setTextFormat(Qt.PlainText)
            self.error_label.setText(text)
        else:  # the way out, one click away (and Enter on the same text takes it too)
            self.error_label.setTextFormat(Qt.RichText)
            self.error_label.setText(
                f"{html.escape(text)}. <a href='use'>Use {html.escape(suggestion)}</a> "
                "(or press Enter again)"
            )
        self.error_label.show()
        self.widget.setStyleSheet(ERROR_STYLE)
        self.widget.setToolTip(text)

    def widget_text(self) -> str:
        return self.widget.text() if isinstance(self.widget, QLineEdit) else ""

    def _clear_error(self) -> None:
        self.in_error = False
        self.suggestion = None
        self.error_label.hide()
        self.widget.setStyleSheet("")
        self.widget.setToolTip("")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if (
            obj is self.widget
            and event.type() == event.Type.KeyPress
            and event.key() == Qt.Key_Escape
        ):
            self.revert()
            return True
        if (
            obj is self.widget
            and event.type() == event.Type.ShortcutOverride
            and not self._typing()
            and (event.matches(QKeySequence.Undo) or event.matches(QKeySequence.Redo))
        ):
            # Nothing typed here since the last commit: let Edit ▸ Undo / Redo act on the map (a text
            # field would otherwise take the keys for its own, already committed, typing).
            event.ignore()
            return True
        return False


def error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c92a2a;")
    label.setObjectName("fieldError")
    label.hide()
    return label


def multiline_editor(placeholder: str = "", *, as_list: bool = False) -> QPlainTextEdit:
    editor = _PlainTextEdit()
    editor.as_list = as_list
    editor.setTabChangesFocus(True)
    editor.setFixedHeight(64)
    editor.setPlaceholderText(placeholder)
    return editor
