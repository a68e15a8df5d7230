"""Citizen feedback that gets handled: units and routing, the workflow, deadlines on the working
calendar, duplicates, public intake and tracking, Open311 (services.open311) and notifications."""
