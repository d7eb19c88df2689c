"""Grant pools, eligibility rules, budgets, expenditures and grant accounting."""
