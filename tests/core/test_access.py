from ctip.core.access import ROLE_PERMISSIONS, Permission, Role, role_allows


def test_admin_holds_every_permission():
    assert all(role_allows(Role.ADMIN, permission) for permission in Permission)


def test_only_admins_manage_members_and_see_the_audit_log():
    for role in Role:
        assert role_allows(role, Permission.MANAGE_MEMBERS) == (role is Role.ADMIN)
        assert role_allows(role, Permission.VIEW_AUDIT_LOG) == (role is Role.ADMIN)


def test_every_role_can_view_and_none_but_admin_can_edit_the_workspace():
    for role in Role:
        assert role_allows(role, Permission.VIEW_WORKSPACE)
        assert role_allows(role, Permission.EDIT_WORKSPACE) == (role is Role.ADMIN)


def test_reviewer_comments_but_does_not_edit_content():
    assert role_allows("reviewer", Permission.COMMENT_AND_VALIDATE)
    assert not role_allows("reviewer", Permission.EDIT_CONTENT)


def test_viewer_only_reads():
    assert ROLE_PERMISSIONS[Role.VIEWER] == {Permission.VIEW_WORKSPACE, Permission.VIEW_MEMBERS}


def test_missing_or_unknown_role_grants_nothing():
    assert not role_allows(None, Permission.VIEW_WORKSPACE)
    assert not role_allows("superhero", Permission.VIEW_WORKSPACE)
