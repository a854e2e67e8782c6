from lead_evaluation.cli import main

raise SystemExit(main())
