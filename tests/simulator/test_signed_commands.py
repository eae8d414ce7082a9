"""Signed commands reach the same command rules as REST: each protobuf is decoded to its REST name and params."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import vcsec_pb2 as vcsec
from tesla_protocol.command import vehicle_pb2 as vehicle_pb

from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import (
    INFOTAINMENT,
    VCSEC,
    car_server_response,
    closure,
    infotainment_action,
    open_channel,
    rke,
    vcsec_response,
)


def action(**vehicle_action: Any) -> tuple[int, bytes]:
    return INFOTAINMENT, infotainment_action(**vehicle_action)


def charging(which: str) -> tuple[int, bytes]:
    return action(chargingStartStopAction=cs.ChargingStartStopAction(**{which: common.Void()}))


DECODED: list[tuple[tuple[int, bytes], str, dict[str, Any]]] = [
    ((VCSEC, rke(vcsec.RKE_ACTION_UNLOCK)), "door_unlock", {}),
    ((VCSEC, rke(vcsec.RKE_ACTION_LOCK)), "door_lock", {}),
    ((VCSEC, rke(vcsec.RKE_ACTION_OPEN_TRUNK)), "actuate_trunk", {"which_trunk": "rear"}),
    ((VCSEC, rke(vcsec.RKE_ACTION_OPEN_FRUNK)), "actuate_trunk", {"which_trunk": "front"}),
    ((VCSEC, rke(vcsec.RKE_ACTION_OPEN_CHARGE_PORT)), "charge_port_door_open", {}),
    ((VCSEC, rke(vcsec.RKE_ACTION_CLOSE_CHARGE_PORT)), "charge_port_door_close", {}),
    ((VCSEC, rke(vcsec.RKE_ACTION_REMOTE_DRIVE)), "remote_start_drive", {}),
    ((VCSEC, rke(vcsec.RKE_ACTION_WAKE_VEHICLE)), "wake_up", {}),
    ((VCSEC, closure(rearTrunk=vcsec.CLOSURE_MOVE_TYPE_MOVE)), "actuate_trunk", {"which_trunk": "rear"}),
    ((VCSEC, closure(frontTrunk=vcsec.CLOSURE_MOVE_TYPE_OPEN)), "actuate_trunk", {"which_trunk": "front"}),
    ((VCSEC, closure(chargePort=vcsec.CLOSURE_MOVE_TYPE_OPEN)), "charge_port_door_open", {}),
    ((VCSEC, closure(chargePort=vcsec.CLOSURE_MOVE_TYPE_CLOSE)), "charge_port_door_close", {}),
    (charging("start"), "charge_start", {}),
    (charging("stop"), "charge_stop", {}),
    (charging("start_standard"), "charge_standard", {}),
    (charging("start_max_range"), "charge_max_range", {}),
    (action(chargingSetLimitAction=cs.ChargingSetLimitAction(percent=80)), "set_charge_limit", {"percent": 80}),
    (
        action(setChargingAmpsAction=cs.SetChargingAmpsAction(charging_amps=16)),
        "set_charging_amps",
        {"charging_amps": 16},
    ),
    (
        action(scheduledChargingAction=cs.ScheduledChargingAction(enabled=True, charging_time=120)),
        "set_scheduled_charging",
        {"enable": True, "time": 120},
    ),
    (action(chargePortDoorOpen=cs.ChargePortDoorOpen()), "charge_port_door_open", {}),
    (action(chargePortDoorClose=cs.ChargePortDoorClose()), "charge_port_door_close", {}),
    (action(hvacAutoAction=cs.HvacAutoAction(power_on=True)), "auto_conditioning_start", {}),
    (action(hvacAutoAction=cs.HvacAutoAction(power_on=False)), "auto_conditioning_stop", {}),
    (
        action(
            hvacTemperatureAdjustmentAction=cs.HvacTemperatureAdjustmentAction(
                driver_temp_celsius=21.5, passenger_temp_celsius=22.5
            )
        ),
        "set_temps",
        {"driver_temp": 21.5, "passenger_temp": 22.5},
    ),
    (action(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction()), "honk_horn", {}),
    (action(vehicleControlFlashLightsAction=cs.VehicleControlFlashLightsAction()), "flash_lights", {}),
    (
        action(vehicleControlSetSentryModeAction=cs.VehicleControlSetSentryModeAction(on=True)),
        "set_sentry_mode",
        {"on": True},
    ),
    (action(remoteStartDrive=cs.RemoteStartDrive()), "remote_start_drive", {}),
    (
        action(setVehicleNameAction=cs.SetVehicleNameAction(vehicleName="Blue")),
        "set_vehicle_name",
        {"vehicle_name": "Blue"},
    ),
    (action(mediaNextTrack=cs.MediaNextTrack()), "media_next_track", {}),
    (action(mediaUpdateVolume=cs.MediaUpdateVolume(volume_absolute_float=4.5)), "adjust_volume", {"volume": 4.5}),
    (
        action(vehicleControlWindowAction=cs.VehicleControlWindowAction(vent=common.Void())),
        "window_control",
        {"command": "vent"},
    ),
    (
        action(guestModeAction=vehicle_pb.VehicleState.GuestMode(GuestModeActive=True)),
        "guest_mode",
        {"enable": True},
    ),
    (
        action(hvacClimateKeeperAction=cs.HvacClimateKeeperAction(ClimateKeeperAction=2)),
        "set_climate_keeper_mode",
        {"climate_keeper_mode": 2},
    ),
]


class TestDecoding:
    @pytest.mark.parametrize(
        ("request_", "name", "params"), DECODED, ids=[f"{d[1]}-{i}" for i, d in enumerate(DECODED)]
    )
    async def test_protobuf_becomes_the_rest_command(
        self,
        factory: SimFactory,
        world: World,
        sim: httpx.AsyncClient,
        request_: tuple[int, bytes],
        name: str,
        params: dict[str, Any],
    ) -> None:
        env, channel = await open_channel(factory, world.now)
        domain, payload = request_
        await channel.handshake(domain)
        await channel.command(domain, payload)
        executed = (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["executed_commands"]
        assert len(executed) == 1
        assert executed[0]["name"] == name
        assert executed[0]["params"] == params
        assert executed[0]["via"] == "signed"
        assert executed[0]["client_id"] == env["app"]["client_id"]


class TestEffects:
    async def test_unlock_and_lock_over_vcsec(self, factory: SimFactory, world: World, sim: httpx.AsyncClient) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(VCSEC)
        response = vcsec_response(await channel.command(VCSEC, rke(vcsec.RKE_ACTION_UNLOCK)))
        assert response.commandStatus.operationStatus == vcsec.OPERATIONSTATUS_OK
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["locked"] is False
        await channel.command(VCSEC, rke(vcsec.RKE_ACTION_LOCK))
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["locked"] is True

    async def test_charge_limit_over_infotainment(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        payload = infotainment_action(chargingSetLimitAction=cs.ChargingSetLimitAction(percent=90))
        response = car_server_response(await channel.command(INFOTAINMENT, payload))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_OK
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["charge_limit_soc"] == 90

    async def test_charging_token_starts_a_charge(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        _, channel = await open_channel(
            factory, world.now, scopes="openid vehicle_charging_cmds", plugged_in=True, battery_level=40
        )
        await channel.handshake(INFOTAINMENT)
        start = infotainment_action(chargingStartStopAction=cs.ChargingStartStopAction(start=common.Void()))
        response = car_server_response(await channel.command(INFOTAINMENT, start))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_OK
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["charging_state"] == "Charging"

    async def test_invalid_parameter_is_an_error_status(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        payload = infotainment_action(mediaUpdateVolume=cs.MediaUpdateVolume(volume_absolute_float=99.0))
        response = car_server_response(await channel.command(INFOTAINMENT, payload))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_ERROR
        assert response.actionStatus.result_reason.plain_text

    async def test_refusal_over_vcsec_is_a_nominal_error(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, plugged_in=True)
        await channel.handshake(VCSEC)
        # A plugged-in car keeps its charge port door open.
        response = vcsec_response(await channel.command(VCSEC, rke(vcsec.RKE_ACTION_CLOSE_CHARGE_PORT)))
        assert response.HasField("nominalError")
        assert not response.HasField("commandStatus")
