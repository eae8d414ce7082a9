"""Signed commands: the client half of Tesla's Vehicle Command Protocol over the Fleet API."""
