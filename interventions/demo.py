"""Demo services: a few in the North East and some national ones. Loading twice changes nothing."""

from interventions.models import Service, ServiceArea
from regions.models import Region

SERVICES = [
    ("Tyneside Housing Options", "Newcastle City Council", ServiceArea.ACCOMMODATION, "NE"),
    ("Supported housing pathway", "Home Group", ServiceArea.ACCOMMODATION, "NE"),
    ("Routes into work", "North East Futures", ServiceArea.ETE, "NE"),
    ("Debt and benefits advice", "Citizens Advice", ServiceArea.FINANCE, None),
    ("Drug and alcohol recovery service", "Change Grow Live", ServiceArea.SUBSTANCE_MISUSE, "NE"),
    ("Peer mentoring", "St Giles Trust", ServiceArea.MENTORING, None),
    ("Women's centre", "Changing Lives", ServiceArea.WOMEN, "NE"),
]


def load_services() -> None:
    for name, provider, area, region_code in SERVICES:
        region = Region.objects.filter(code=region_code).first() if region_code else None
        Service.objects.get_or_create(name=name, provider=provider, region=region, defaults={"area": area})
