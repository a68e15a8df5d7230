"""Land users of household parcels: personal data, kept apart from the public parcel layer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from democity.people import birth_years, full_names, id_numbers, phones, sexes

RESIDENTIAL = ("ODT", "ONT", "TMD")
COUPLE_SHARE = 0.35  # parcels registered to both spouses, half each
NO_PHONE_SHARE = 0.2


def _home_addresses(rng: np.random.Generator, parcels: pd.DataFrame) -> np.ndarray:
    """The parcel's own address for homes; a home in the same commune for fields and shops."""
    out = parcels.address.to_numpy().copy()
    homes = parcels.land_use.isin(RESIDENTIAL[:2]).to_numpy()
    for ward, group in parcels.groupby("ward_code", sort=True):
        choices = group.address[group.land_use.isin(RESIDENTIAL[:2])].to_numpy()
        away = np.flatnonzero((parcels.ward_code == ward).to_numpy() & ~homes)
        if len(choices) and len(away):
            out[away] = choices[rng.integers(0, len(choices), len(away))]
    return out


def build_owners(rng: np.random.Generator, parcels: pd.DataFrame) -> pd.DataFrame:
    """One row per owner of each household (GDC) parcel; couples hold half each."""
    households = parcels[parcels.owner_type == "GDC"].reset_index(drop=True)
    home = _home_addresses(rng, households)
    couple = rng.random(len(households)) < COUPLE_SHARE
    first = sexes(rng, len(households))
    index = np.concatenate([np.arange(len(households)), np.flatnonzero(couple)])
    sex = np.concatenate([first, np.where(first[couple] == "m", "f", "m").astype(object)])
    n = len(index)
    born = birth_years(rng, n)
    phone = phones(rng, n)
    phone[rng.random(n) < NO_PHONE_SHARE] = ""
    owners = pd.DataFrame(
        {
            "ward_code": households.ward_code.to_numpy()[index],
            "sheet_no": households.sheet_no.to_numpy()[index],
            "parcel_no": households.parcel_no.to_numpy()[index],
            "full_name": full_names(rng, sex),
            "id_number": id_numbers(rng, sex, born),
            "phone": phone,
            "address": home[index],
            "share_pct": np.where(couple[index], 50.0, 100.0),
        }
    )
    return owners.sort_values(["ward_code", "sheet_no", "parcel_no"], kind="stable").reset_index(drop=True)
