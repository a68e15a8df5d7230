"""Data health ("Đủ, Đúng, Sạch, Sống"): per layer, its last update, whether it is late for its cadence,
the last import's validity figures and the history of imports (API /api/data-health, page
/suc-khoe-du-lieu/)."""
