"""Realistic Japanese B2B CRM and MA sample exports for demos, tests and benchmarks."""
