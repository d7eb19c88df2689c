"""The stakeholder analysis, the communication plan and external activities."""
