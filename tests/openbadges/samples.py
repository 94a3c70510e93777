"""Sample keys, clock and credential data shared by the Open Badges core tests."""

import json
from datetime import UTC, datetime
from pathlib import Path

from badges.openbadges import ob3

VECTOR_DIR = Path(__file__).parent / "vectors" / "ob3-eddsa-rdfc-2022"

# RFC 8032 section 7.1, test 1: a published Ed25519 key pair, so the
# expected signatures in these tests can be checked with any Ed25519 library.
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC_KEY = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
# RFC 8032 section 7.1, test 2, used as "some other key".
OTHER_SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")

ISSUED_AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)


def load_vector_json(name):
    return json.loads((VECTOR_DIR / name).read_text("utf-8"))


def sample_issuer(issuer_id):
    return ob3.IssuerProfile(
        id=issuer_id,
        name="Kansalaisopisto Esimerkki",
        url="https://opisto.example/",
        email="merkit@opisto.example",
    )


def sample_achievement(creator=None):
    return ob3.AchievementData(
        id="https://merkit.example/achievements/tekstitaidot",
        name="Tekstitaidot",
        description="Osaa lukea ja kirjoittaa arkielämän tekstejä.",
        criteria_narrative="Osallistuja on tehnyt kolme kirjoitustehtävää.",
        image_url="https://merkit.example/media/tekstitaidot.png",
        tags=("perustaidot", "lukutaito"),
        alignments=(
            ob3.Alignment(
                target_name="Tekstitaidot",
                target_url="https://eperusteet.example/osaamismerkit/1007",
                target_code="osaamismerkit_1007",
                target_framework="KAPOS",
            ),
        ),
        creator=creator,
    )


def sample_recipient():
    return ob3.RecipientData(
        subject_id="urn:uuid:6c4e0b3e-3f55-4b8a-9a8e-0c2c2f6f8a11",
        email_hash="sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        email_salt="Kosher",
        name="Maija Meikäläinen",
    )


def build_sample_credential(issuer_id, **overrides):
    arguments = {
        "credential_id": "urn:uuid:0f0b6c1e-5d0a-4d5e-8f43-3f7c2a9d1b20",
        "issuer": sample_issuer(issuer_id),
        "achievement": sample_achievement(),
        "recipient": sample_recipient(),
        "valid_from": ISSUED_AT,
    }
    arguments.update(overrides)
    return ob3.build_credential(**arguments)
