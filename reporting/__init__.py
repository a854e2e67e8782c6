"""What the warehouse tells its users in words and pictures: the weekly HTML report, the onboarding
summary of a team's first exports, and the command-line summary `make demo` ends with."""
