from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_id: str = Field(min_length=1, max_length=200, description="Your id for this end user")
    name: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = None


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    reference_id: str
    name: str | None
    email: str | None
    created_at: datetime
