package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Taking an order, or a group of the error queue, tells the others who is on it. It is word
// between people, not a lock: anyone who may work on the merchant's orders may take over, and
// the engine ignores it. A person can be given an order or a group if they are one of the
// merchant's people or a support agent.

// GroupAssignment is who has taken a group of the error queue, by the group's key.
type GroupAssignment struct {
	MerchantID   int64
	ConnectionID int64
	Side         string
	Reason       string
	Cause        string
	UserID       int64
	AssignedAt   time.Time
}

// AssignOrder gives the merchant's order to the user, and says so in its timeline in the
// actor's name. Another merchant's order, or a user who may not work on it, is ErrNotFound.
// Giving the order to the person who has it already changes nothing.
func AssignOrder(ctx context.Context, db *gorm.DB, merchantID, orderID, userID int64, actor string, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := merchantOrderRow(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		user, err := actingUser(ctx, tx, merchantID, userID)
		if err != nil {
			return err
		}
		// Columns only: taking an order is no change of the order, so updated_at stays.
		res := tx.Model(&Order{}).Scopes(ForMerchant(merchantID)).
			Where("id = ? AND (assigned_to IS NULL OR assigned_to <> ?)", o.ID, user.ID).
			UpdateColumns(map[string]any{"assigned_to": user.ID, "assigned_at": now.UTC()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return AddOrderEvent(ctx, tx, o, actor, "order.assigned", "Taken by "+user.DisplayName()+".", nil, now)
	})
}

// UnassignOrder: the user leaves the merchant's order, which nobody has then; the timeline says
// so in the actor's name. When someone else has taken the order meanwhile, it stays theirs (a
// UserError says who); when nobody has, nothing changes.
func UnassignOrder(ctx context.Context, db *gorm.DB, merchantID, orderID, userID int64, actor string, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := merchantOrderRow(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		user, err := actingUser(ctx, tx, merchantID, userID)
		if err != nil {
			return err
		}
		res := tx.Model(&Order{}).Scopes(ForMerchant(merchantID)).Where("id = ? AND assigned_to = ?", o.ID, user.ID).
			UpdateColumns(map[string]any{"assigned_to": nil, "assigned_at": nil})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			holder, _, err := OrderAssignee(ctx, tx, merchantID, o.ID)
			if err != nil || holder == nil {
				return err
			}
			return notYours(holder)
		}
		return AddOrderEvent(ctx, tx, o, actor, "order.unassigned", user.DisplayName()+" is no longer on it.", nil, now)
	})
}

// OrderAssignee is who has taken the merchant's order, and since when; nil when nobody has.
// Another merchant's order is ErrNotFound.
func OrderAssignee(ctx context.Context, db *gorm.DB, merchantID, orderID int64) (*User, time.Time, error) {
	var row struct {
		AssignedTo *int64
		AssignedAt *time.Time
	}
	err := db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID)).Where("id = ?", orderID).
		Select("assigned_to", "assigned_at").Take(&row).Error
	if err != nil {
		return nil, time.Time{}, notFound(err)
	}
	if row.AssignedTo == nil || row.AssignedAt == nil {
		return nil, time.Time{}, nil
	}
	user, err := actingUser(ctx, db, merchantID, *row.AssignedTo)
	if err != nil {
		return nil, time.Time{}, err
	}
	return user, row.AssignedAt.UTC(), nil
}

// AssignGroup gives the merchant's group of blocked orders to the user. A group with no
// blocked order (another merchant's, or one fixed meanwhile), or a user who may not work on
// it, is ErrNotFound. Whoever had the group before no longer has it.
func AssignGroup(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey, userID int64, now time.Time) error {
	if err := blockedGroupExists(ctx, db, merchantID, k); err != nil {
		return err
	}
	user, err := actingUser(ctx, db, merchantID, userID)
	if err != nil {
		return err
	}
	row := GroupAssignment{MerchantID: merchantID, ConnectionID: k.ConnectionID, Side: k.Side, Reason: k.Reason, Cause: k.Cause,
		UserID: user.ID, AssignedAt: now.UTC()}
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "merchant_id"}, {Name: "connection_id"}, {Name: "side"}, {Name: "reason"}, {Name: "cause"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "assigned_at"}),
	}).Create(&row).Error
}

// UnassignGroup: the user leaves the merchant's group, which nobody has then. When someone
// else has taken it meanwhile, it stays theirs (a UserError says who). A group on another
// merchant's connection is ErrNotFound.
func UnassignGroup(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey, userID int64) error {
	if _, err := MerchantConnection(ctx, db, merchantID, k.ConnectionID); err != nil {
		return err
	}
	res := groupAssignmentOf(db.WithContext(ctx), merchantID, k).Where("user_id = ?", userID).Delete(&GroupAssignment{})
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	holder, _, err := GroupAssignee(ctx, db, merchantID, k)
	if err != nil || holder == nil {
		return err
	}
	return notYours(holder)
}

// GroupAssignee is who has taken the merchant's group, and since when; nil when nobody has.
func GroupAssignee(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey) (*User, time.Time, error) {
	var rows []GroupAssignment
	if err := groupAssignmentOf(db.WithContext(ctx), merchantID, k).Limit(1).Find(&rows).Error; err != nil {
		return nil, time.Time{}, err
	}
	if len(rows) == 0 {
		return nil, time.Time{}, nil
	}
	user, err := actingUser(ctx, db, merchantID, rows[0].UserID)
	if err != nil {
		return nil, time.Time{}, err
	}
	return user, rows[0].AssignedAt, nil
}

// GroupAssignees is who has taken each of the merchant's groups, for the groups of a page of
// the error queue, in one query; groups nobody has taken are not in the map.
func GroupAssignees(ctx context.Context, db *gorm.DB, merchantID int64, keys []GroupKey) (map[GroupKey]*User, error) {
	assignees := map[GroupKey]*User{}
	if len(keys) == 0 {
		return assignees, nil
	}
	tuples := make([][]any, len(keys))
	for i, k := range keys {
		tuples[i] = []any{k.ConnectionID, k.Side, k.Reason, k.Cause}
	}
	var rows []struct {
		GroupKey
		UserID         int64
		UserMerchantID *int64
		Email          string
		Name           string
		Role           string
	}
	err := db.WithContext(ctx).Table("group_assignments AS ga").Joins("JOIN users u ON u.id = ga.user_id").
		Select("ga.connection_id, ga.side, ga.reason, ga.cause, ga.user_id, u.merchant_id AS user_merchant_id, u.email, u.name, u.role").
		Where("ga.merchant_id = ?", merchantID).
		Where("(ga.connection_id, ga.side, ga.reason, ga.cause) IN ?", tuples).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		assignees[r.GroupKey] = &User{ID: r.UserID, MerchantID: r.UserMerchantID, Email: r.Email, Name: r.Name, Role: r.Role}
	}
	return assignees, nil
}

// groupAssignmentOf narrows a query to the assignment of the merchant's group.
func groupAssignmentOf(q *gorm.DB, merchantID int64, k GroupKey) *gorm.DB {
	return q.Model(&GroupAssignment{}).Scopes(ForMerchant(merchantID)).
		Where("connection_id = ? AND side = ? AND reason = ? AND cause = ?", k.ConnectionID, k.Side, k.Reason, k.Cause)
}

// blockedGroupExists is ErrNotFound unless one of the merchant's orders is blocked by the
// group's cause.
func blockedGroupExists(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey) error {
	if k.Side != SideStore && k.Side != SideShipment {
		return ErrNotFound
	}
	var ids []int64
	if err := blockedIn(db.WithContext(ctx), merchantID, k).Limit(1).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return ErrNotFound
	}
	return nil
}

// notYours refuses to let someone leave what another person has taken.
func notYours(holder *User) error {
	return NewUserError("assignment.error.not_yours", map[string]any{"Name": holder.DisplayName()},
		fmt.Sprintf("%s is on it now, not you: nothing changed", holder.DisplayName()))
}
