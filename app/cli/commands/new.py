"""journeymap new --template NAME -o FILE"""

from __future__ import annotations

from pathlib import Path

from app.cli import CommandError
from models.storage import save_map
from models.templates import DESCRIPTIONS, load_template, template_names

NAME = "new"
HELP = "start a map from a shipped template"
ORDER = 10


def register(parser) -> None:
    parser.add_argument(
        "--template",
        "-t",
        metavar="NAME",
        default="enterprise",
        help="one of: " + ", ".join(template_names()) + " (default enterprise)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="where to write the new map"
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args) -> int:
    if args.template not in template_names():
        choices = "\n".join(f"  {n:16} {DESCRIPTIONS.get(n, '')}" for n in template_names())
        raise CommandError(
            f'there is no template named "{args.template}". Choose one of:\n{choices}'
        )
    out = Path(args.output)
    if out.exists() and not args.force:
        raise CommandError(
            f"{out} already exists; choose another name or add --force to overwrite it"
        )
    if not out.parent.exists():
        raise CommandError(f"the folder {out.parent} does not exist; create it first")
    save_map(load_template(args.template), out)
    print(f"Created {out} from the {args.template} template.")
    return 0
