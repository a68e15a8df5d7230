"""Leaders' directives (chỉ đạo) to units: issued with a deadline, acknowledged, reported on and
closed with evidence by the unit; overdue ones escalate."""
