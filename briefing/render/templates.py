"""Render stage: the one template environment of the HTML, the PDF, the email and the glossary page.

Templates are looked up as mkdocs looks up a theme with a `custom_dir`: the
workspace's `report.templates` folder first, then the packaged templates
(briefing/templates, the repository's top-level templates/). The packaged ones
stay reachable as `default/NAME`, so an override can extend the template it
replaces and change one block:

    {% extends "default/briefing.html.j2" %}
    {% block headline %}{{ super() }}<p>One more line.</p>{% endblock %}

A template that fails (bad syntax, an undefined name) is one `BriefingError`
naming its file and line.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context

from briefing.config import Palette, Report
from briefing.config.fields import image_media_type
from briefing.errors import BriefingError, Location
from briefing.model import ServiceStatus
from briefing.render import filters
from briefing.render.palette import Colours, css_variables

PACKAGED = Path(str(resources.files("briefing"))) / "templates"
DEFAULT_PREFIX = "default"


@dataclass(frozen=True, slots=True)
class Look:
    """What the workspace changes of the look: override folder, logo, palette."""

    templates: Path | None = None
    logo: bytes = b""
    logo_type: str = ""  # image/png | image/svg+xml
    palette: Palette = field(default_factory=Palette)

    @classmethod
    def of(cls, report: Report) -> Look:
        logo = report.logo.read_bytes() if report.logo is not None else b""
        return cls(
            templates=report.templates,
            logo=logo,
            logo_type=(image_media_type(logo) or "") if logo else "",
            palette=report.palette,
        )

    @property
    def logo_uri(self) -> str:
        """The logo as a data: URI (nothing to fetch), or "" without a logo."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"

    @property
    def colours(self) -> Colours:
        return Colours.of(self.palette)

    @property
    def palette_css(self) -> str:
        return css_variables(self.palette)

    def fingerprint(self) -> str:
        """sha256 over the override files (names and bytes), the logo and the palette."""
        digest = hashlib.sha256(repr(self.palette).encode())
        digest.update(self.logo)
        if self.templates is not None:
            for path in sorted(p for p in self.templates.rglob("*") if p.is_file()):
                digest.update(path.relative_to(self.templates).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
        return digest.hexdigest()


# --------------------------------------------------------------------------- filters


def _money(ctx: Context, value: float | None) -> str:
    return filters.money(value, ctx["currency"], ctx["locale"])


def _money_compact(ctx: Context, value: float | None) -> str:
    return filters.money_compact(value, ctx["currency"], ctx["locale"])


def _percent(ctx: Context, value: float | None, digits: int = 1) -> str:
    return filters.percent(value, ctx["locale"], digits=digits)


def _objective(ctx: Context, value: float) -> str:
    return filters.objective(value, ctx["locale"])


def _reliability(ctx: Context, value: float | None) -> str:
    return filters.reliability(value, ctx["locale"])


def _achieved(ctx: Context, service: ServiceStatus) -> str:
    """Achieved reliability beside allowance used; a time-slice allowance has no such identity."""
    if service.budgeting_method != "occurrences":
        return filters.reliability(service.sli, ctx["locale"], service.objective)
    return filters.achieved(service.sli, service.objective, service.budget_consumed, ctx["locale"])


def _used(ctx: Context, consumed: float | None) -> str:
    """A share of an allowance used, whole percents unless that would hide going over 100%."""
    if consumed is None:
        return filters.percent(None, ctx["locale"])
    return filters.percent(consumed, ctx["locale"], digits=filters.used_digits(consumed))


def _number(ctx: Context, value: float | None, digits: int = 0) -> str:
    return filters.number(value, ctx["locale"], digits=digits)


def _day(ctx: Context, value: str | None) -> str:
    return filters.day(value, ctx["locale"], ctx["timezone"])


def _moment(ctx: Context, value: str | None) -> str:
    return filters.moment(value, ctx["locale"], ctx["timezone"])


def _value(ctx: Context, value: float | None, unit: str) -> str:
    return filters.format_value(value, unit, currency=ctx["currency"], locale=ctx["locale"])


def _change(ctx: Context, delta: float | None, unit: str, better_when: str) -> filters.Change:
    words = ctx.get("period_words")  # "better than last quarter"; month where none is given
    return filters.change(
        delta,
        unit,
        better_when,
        currency=ctx["currency"],
        locale=ctx["locale"],
        period_noun=words.noun if words is not None else "month",
    )


# --------------------------------------------------------------------------- the environment


def _autoescape(name: str | None) -> bool:
    """HTML is escaped; plain-text templates (`*.txt.j2`) are not."""
    return not (name or "").endswith(".txt.j2")


@functools.cache
def environment(custom_dir: Path | None = None) -> jinja2.Environment:
    """The environment: `custom_dir` over the packaged templates, autoescape, strict undefined."""
    packaged = jinja2.FileSystemLoader(str(PACKAGED))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({DEFAULT_PREFIX: packaged})]
    if custom_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(custom_dir)))
    loaders.append(packaged)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=pass_context(_money),
        money_compact=pass_context(_money_compact),
        percent=pass_context(_percent),
        objective=pass_context(_objective),
        reliability=pass_context(_reliability),
        achieved=pass_context(_achieved),
        used=pass_context(_used),
        number=pass_context(_number),
        day=pass_context(_day),
        moment=pass_context(_moment),
        value=pass_context(_value),
        change=pass_context(_change),
        minutes=filters.minutes,
    )
    return env


def source(env: jinja2.Environment, name: str) -> str:
    """A template file's text as is (the stylesheet): the override's if there is one."""
    assert env.loader is not None
    text, _filename, _uptodate = env.loader.get_source(env, name)
    return text


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """`name` rendered with `context`; a failing template is a `BriefingError` at its file and line."""
    try:
        return env.get_template(name).render(context)
    except BriefingError:
        raise
    except jinja2.TemplateSyntaxError as err:
        where = Location(err.filename or err.name or name, err.lineno)
        raise BriefingError(
            f"template {err.name or name}: {err.message}", where=where, hint=_hint(where)
        ) from None
    except jinja2.TemplateNotFound as err:
        frame = _template_frame(err.__traceback__)
        raise BriefingError(
            f"template not found: {err.name}",
            where=frame,
            hint=f'{_hint(frame)}; the packaged templates are reachable as "default/NAME"',
        ) from None
    except Exception as err:
        frame = _template_frame(err.__traceback__)
        if frame is None:
            raise
        message = (
            str(err) if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: {err}"
        )
        raise BriefingError(f"template error: {message}", where=frame, hint=_hint(frame)) from None


def _template_frame(tb: TracebackType | None) -> Location | None:
    """The innermost frame of the traceback that is a line of a template file."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".txt", ".css")):
            found = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _hint(where: Location | None) -> str:
    if where is not None and not Path(where.path).resolve().is_relative_to(PACKAGED.resolve()):
        return "fix the template in report.templates, or remove it to use the packaged one"
    return "the packaged template is broken: reinstall briefing"
