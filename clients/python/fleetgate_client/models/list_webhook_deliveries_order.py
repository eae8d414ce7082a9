from enum import StrEnum


class ListWebhookDeliveriesOrder(StrEnum):
    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"

    def __str__(self) -> str:
        return str(self.value)
