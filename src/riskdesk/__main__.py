"""``python -m riskdesk`` runs the same entry point as the ``riskdesk`` command."""

from riskdesk.cli.main import main

raise SystemExit(main())
