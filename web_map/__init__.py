"""The map wall: a MapLibre front end built from the layer registry (frontend/), served at /."""
