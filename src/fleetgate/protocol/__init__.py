"""Vehicle Command Protocol primitives, shared by the Tesla client and the simulator's vehicles.

Everything here is pure computation over bytes: TLV metadata, ECDH key agreement, the session-info tag,
HMAC-personalised command authentication and AES-GCM requests and responses. Message framing uses the
`tesla-protocol` protobuf bindings; see `messages.py`.
"""
