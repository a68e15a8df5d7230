"""What alerts tell the floors above them: `alert_opened` (sender Alert; `alert`, and `quiet` when no one
is to be told, as for the demo's past), sent inside the transaction that opened the alert."""

from django.dispatch import Signal

alert_opened = Signal()
