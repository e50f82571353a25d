"""The fixed cast of users that every permission test uses (healthchecks' Alice/Bob/Charlie).

- secretariat: Karin at the national secretariat (staff: may use the admin)
- steering: a steering-group member from Region Stockholm
- coordinator_a: the area A coordinator, employed by Region Västerbotten
- contact_jamtland: Region Jämtland Härjedalen's sustainability contact
- alice: a Region Stockholm buyer
- bob: a buyer from another region (Region Jämtland Härjedalen)
- auditor: a third-party auditor at an audit firm
- charlie: the supplier contact of Medisupply Sverige AB
- dave: the supplier contact of another company, Globex Textiles Ltd (abroad: reads English)
- nobody: a user with an account but no role anywhere
"""

from dataclasses import dataclass

from hallbar.demo.national import AUDIT_FIRM, SUPPLIER_A, SUPPLIER_B, DemoUser, ensure_user
from hallbar.organisations.models import Role, User
from hallbar.organisations.services import SECRETARIAT_NAME

CAST_PASSWORD = "cast-password-1"

CAST = {
    "secretariat": DemoUser(
        "karin", "Karin", "Kansli", Role.SECRETARIAT, SECRETARIAT_NAME, staff=True
    ),
    "steering": DemoUser("stig", "Stig", "Styr", Role.STEERING_GROUP, "01"),
    "coordinator_a": DemoUser("anna", "Anna", "Area", Role.AREA_COORDINATOR, "24", area="A"),
    "contact_jamtland": DemoUser("asa", "Åsa", "Kontakt", Role.REGION_CONTACT, "23"),
    "alice": DemoUser("alice", "Alice", "Stockholm", Role.BUYER, "01"),
    "bob": DemoUser("bob", "Bob", "Jämtland", Role.BUYER, "23"),
    "auditor": DemoUser("rolf", "Rolf", "Revisor", Role.AUDITOR, AUDIT_FIRM),
    "charlie": DemoUser("charlie", "Charlie", "Medisupply", Role.SUPPLIER_CONTACT, SUPPLIER_A),
    "dave": DemoUser("dave", "Dave", "Globex", Role.SUPPLIER_CONTACT, SUPPLIER_B, language="en"),
}


@dataclass
class Cast:
    secretariat: User
    steering: User
    coordinator_a: User
    contact_jamtland: User
    alice: User
    bob: User
    auditor: User
    charlie: User
    dave: User
    nobody: User

    def everyone(self) -> dict[str, User]:
        return dict(self.__dict__)


def make_cast() -> Cast:
    """Create the cast (the reference data must be loaded); idempotent."""
    users = {name: ensure_user(spec, password=CAST_PASSWORD) for name, spec in CAST.items()}
    nobody, created = User.objects.get_or_create(username="nobody", defaults={"first_name": "No"})
    if created:
        nobody.set_password(CAST_PASSWORD)
        nobody.save(update_fields=["password"])
    return Cast(**users, nobody=nobody)
