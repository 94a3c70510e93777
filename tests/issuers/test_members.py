"""Owners change roles and remove staff; the last owner stays; the staff home lists every organisation."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from issuers.members import membership_change_role, membership_remove
from issuers.models import AuditEvent, Membership, Role
from issuers.services import membership_set
from tests.issuers.staff_helpers import login


def membership_of(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


def test_owner_changes_role(organisation, staff):
    membership = membership_of(staff["instructor"], organisation)
    membership_change_role(membership=membership, role=Role.EDITOR, actor=staff["owner"])

    membership.refresh_from_db()
    event = AuditEvent.objects.filter(action="membership.update").latest("created_at")
    assert membership.role == Role.EDITOR
    assert event.actor == staff["owner"]
    assert event.details == {"user_id": staff["instructor"].pk, "role": "editor", "previous_role": "instructor"}


def test_editor_cannot_change_roles(organisation, staff):
    membership = membership_of(staff["instructor"], organisation)
    with pytest.raises(PermissionDenied):
        membership_change_role(membership=membership, role=Role.OWNER, actor=staff["editor"])
    membership.refresh_from_db()
    assert membership.role == Role.INSTRUCTOR


def test_last_owner_cannot_be_demoted(organisation, staff):
    membership = membership_of(staff["owner"], organisation)
    with pytest.raises(ValidationError) as error:
        membership_change_role(membership=membership, role=Role.EDITOR, actor=staff["owner"])
    assert "vähintään" in str(error.value) or "ainakin yksi omistaja" in str(error.value)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_last_owner_cannot_be_removed(organisation, staff):
    membership = membership_of(staff["owner"], organisation)
    with pytest.raises(ValidationError):
        membership_remove(membership=membership, actor=staff["owner"])
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_owner_steps_down_when_another_owner(organisation, staff):
    membership_set(user=staff["editor"], organisation=organisation, role=Role.OWNER)
    own = membership_of(staff["owner"], organisation)
    membership_change_role(membership=own, role=Role.INSTRUCTOR, actor=staff["owner"])
    own.refresh_from_db()
    assert own.role == Role.INSTRUCTOR


def test_owner_removes_member(organisation, staff):
    membership = membership_of(staff["editor"], organisation)
    membership_remove(membership=membership, actor=staff["owner"])

    event = AuditEvent.objects.get(action="membership.delete")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert event.target_id == str(membership.pk)
    assert event.details == {"user_id": staff["editor"].pk, "role": "editor"}


def test_role_view_changes_role(client, organisation, staff):
    membership = membership_of(staff["instructor"], organisation)
    login(client, staff["owner"])
    response = client.post(
        f"/staff/{organisation.slug}/members/{membership.pk}/role/", {f"m{membership.pk}-role": "editor"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{organisation.slug}/members/"
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_role_view_last_owner_error(client, organisation, staff):
    membership = membership_of(staff["owner"], organisation)
    login(client, staff["owner"])
    response = client.post(
        f"/staff/{organisation.slug}/members/{membership.pk}/role/",
        {f"m{membership.pk}-role": "instructor"},
        follow=True,
    )
    assert "pitää olla ainakin yksi omistaja" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_role_view_rejects_unknown_role(client, organisation, staff):
    membership = membership_of(staff["instructor"], organisation)
    login(client, staff["owner"])
    response = client.post(
        f"/staff/{organisation.slug}/members/{membership.pk}/role/", {f"m{membership.pk}-role": "admin"}, follow=True
    )
    assert "Valitse rooli" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.INSTRUCTOR


def test_remove_view_needs_confirmation(client, organisation, staff):
    membership = membership_of(staff["editor"], organisation)
    login(client, staff["owner"])
    url = f"/staff/{organisation.slug}/members/{membership.pk}/remove/"
    response = client.post(url, {})
    assert response.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_remove_view_last_owner_error(client, organisation, staff):
    membership = membership_of(staff["owner"], organisation)
    login(client, staff["owner"])
    response = client.post(f"/staff/{organisation.slug}/members/{membership.pk}/remove/", {"confirm": "on"})
    assert response.status_code == 200
    assert "pitää olla ainakin yksi omistaja" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_owner_who_removes_self_goes_home(client, organisation, other_organisation, staff):
    membership_set(user=staff["editor"], organisation=organisation, role=Role.OWNER)
    membership_set(user=staff["owner"], organisation=other_organisation, role=Role.INSTRUCTOR)
    own = membership_of(staff["owner"], organisation)
    login(client, staff["owner"])
    response = client.post(f"/staff/{organisation.slug}/members/{own.pk}/remove/", {"confirm": "on"})
    assert response["Location"] == "/staff/"


def test_members_page_lists_staff(client, organisation, staff):
    login(client, staff["owner"])
    page = client.get(f"/staff/{organisation.slug}/members/").content.decode()
    for user in staff.values():
        assert user.username in page


def test_staff_home_lists_every_organisation(client, organisation, other_organisation, staff):
    membership_set(user=staff["editor"], organisation=other_organisation, role=Role.OWNER)
    login(client, staff["editor"])
    page = client.get("/staff/").content.decode()
    assert f'href="/staff/{organisation.slug}/"' in page
    assert f'href="/staff/{other_organisation.slug}/"' in page
    assert "Muokkaaja" in page
    assert "Omistaja" in page


def test_roles_are_per_organisation(client, organisation, other_organisation, staff):
    membership_set(user=staff["instructor"], organisation=other_organisation, role=Role.OWNER)
    login(client, staff["instructor"])
    assert client.get(f"/staff/{other_organisation.slug}/members/").status_code == 200
    assert client.get(f"/staff/{organisation.slug}/members/").status_code == 403
