from smelterkg.cli import main

raise SystemExit(main())
