from reducer.cli import main

raise SystemExit(main())
