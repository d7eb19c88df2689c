"""The one Jinja2 environment of every template — pages, PDFs, grant statements — with the
Danish filters. The web layer adds what only pages need (app/web/templating.py)."""

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import danish
from app.config import ROOT

# Markup is escaped; plain text (the text part of a mail, *.txt) is not, or a title reading
# »Per & Co« would arrive as »Per &amp; Co«. Anything else — a future .svg, .ics, a string
# template — is escaped, the safe default.
env = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(
        disabled_extensions=("txt",), default=True, default_for_string=True
    ),
)
# Templates change only with a deploy: not checking every file's mtime on every include saves
# about a seventh of a page's time (bench/README.md).
env.auto_reload = False
env.filters.update(
    dkdate=danish.format_date,
    dkdatetime=danish.format_datetime,
    dkweek=danish.format_week,
    dklongdate=danish.format_long_date,
    kr=danish.format_kr,
    dknumber=danish.format_number,
    dkweeks=danish.format_weeks,
)
