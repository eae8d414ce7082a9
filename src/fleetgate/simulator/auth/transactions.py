"""Sign-in and consent forms in flight.

Each form carries only an opaque transaction id; what it is about (the authorize request, the signed-in account)
stays in `world.auth_requests`. A transaction is taken exactly once, so a submitted form cannot be replayed, and
an id nobody handed out leads nowhere. A page that is shown again gets a fresh transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from fleetgate.simulator.auth.authorize_request import AuthorizationRequest
from fleetgate.simulator.world import World

TRANSACTION_LIFETIME = 30 * 60

Step = Literal["sign_in", "consent", "manage_sign_in", "manage"]


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    step: Step
    client_id: str
    expires_at: float
    request: AuthorizationRequest | None = None
    account_id: str | None = None
    back_url: str | None = None


def open_transaction(
    world: World,
    step: Step,
    client_id: str,
    *,
    request: AuthorizationRequest | None = None,
    account_id: str | None = None,
    back_url: str | None = None,
) -> Transaction:
    now = world.now()
    stale = [key for key, txn in world.auth_requests.items() if isinstance(txn, Transaction) and txn.expires_at <= now]
    for key in stale:
        del world.auth_requests[key]
    transaction = Transaction(
        id=secrets.token_urlsafe(24),
        step=step,
        client_id=client_id,
        expires_at=now + TRANSACTION_LIFETIME,
        request=request,
        account_id=account_id,
        back_url=back_url,
    )
    world.auth_requests[transaction.id] = transaction
    return transaction


def take_transaction(world: World, transaction_id: str, step: Step) -> Transaction | None:
    transaction = world.auth_requests.get(transaction_id)
    if not isinstance(transaction, Transaction) or transaction.step != step:
        return None
    del world.auth_requests[transaction_id]
    if transaction.expires_at <= world.now():
        return None
    return transaction
