"""`ioc counts`: how many features each layer holds (vi/en titles from the registry)."""

from django.core.management.base import BaseCommand

from layers.counts import layer_counts, table_counts
from layers.registry import registry


class Command(BaseCommand):
    help = "In số đối tượng của mỗi lớp. Print the number of features in each layer."

    def handle(self, *args: object, **options: object) -> None:
        for layer_id, count in layer_counts().items():
            layer = registry.get(layer_id)
            self.stdout.write(f"{layer_id:<18} {count:>9,}  {layer.title_vi} / {layer.title_en}")
        for name, count in table_counts().items():
            self.stdout.write(f"{name:<18} {count:>9,}")
