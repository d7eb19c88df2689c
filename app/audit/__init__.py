"""The audit log: who changed what, when, with the entity before and after."""
