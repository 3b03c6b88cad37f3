"""``riskdesk team init --db postgresql://…``: prepare a PostgreSQL database as a
team register — the schema (riskdesk's migrations) and the team's roles.

Run once by whoever administers the database (a login that may create roles); people
then connect with ``--db postgresql://their-login@host/database``.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "team",
        help="set up a PostgreSQL database as a register shared by a team",
        description="Team registers on PostgreSQL. 'init' creates the schema and the "
        "roles riskdesk_first_line, riskdesk_second_line, riskdesk_third_line and "
        "riskdesk_champion with their rights.",
    )
    actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="create the schema and the team roles (idempotent)")
    # "riskdesk team init --db URL": the URL may follow the action too.
    init.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="postgresql:// URL")
    init.add_argument(
        "--organisation",
        metavar="NAME",
        help="a consortium: this organisation's own register (a schema NAME that only "
        "members of the role riskdesk_org_NAME may use) in the shared database",
    )
    mapping = actions.add_parser("map", help="say which person of the register a login is")
    mapping.add_argument("login", help="the database login")
    mapping.add_argument("person_id", type=int, help="the person's id in the register")
    mapping.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="postgresql:// URL")
    mapping.add_argument("--organisation", metavar="NAME", help="a consortium member's register")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.errors import ServiceError
    from riskdesk.service.team import init_team
    from riskdesk.store.db import open_register
    from riskdesk.store.errors import StoreError

    target = getattr(args, "db", None)
    if not target or "://" not in target:
        raise CliError(f"team {args.team_action} needs --db postgresql://user@host/database", 2)
    organisation = getattr(args, "organisation", None)
    try:
        if organisation and args.team_action == "init":
            from riskdesk.service.team import init_organisation

            target = init_organisation(target, organisation)
        elif organisation:
            from riskdesk.store import postgres

            target = postgres.with_search_path(target, postgres.check_organisation(organisation))
        register = open_register(target)
    except StoreError as exc:
        raise CliError(str(exc), 2) from exc
    try:
        if args.team_action == "map":
            from riskdesk.service.register import RegisterService
            from riskdesk.service.team import map_login

            map_login(RegisterService(register), args.login, args.person_id)
            print(f"{args.login} is person {args.person_id} in {register.display_name}")
            return 0
        roles = init_team(register)
    except ServiceError as exc:
        raise CliError(str(exc), 1) from exc
    finally:
        register.dispose()
    print(f"team register ready at {register.display_name}; roles: {', '.join(roles)}")
    if organisation:
        print(
            f"organisation {organisation}: give its logins the role riskdesk_org_{organisation} "
            f"and ALTER ROLE <login> SET search_path = {organisation}"
        )
    return 0
