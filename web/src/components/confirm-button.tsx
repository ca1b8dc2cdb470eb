/**
 * A destructive action that needs a second, deliberate click ("Delete" → "Confirm delete" / "Cancel"), without a
 * blocking browser dialog; both steps are ordinary buttons, so it works from the keyboard.
 */
import { useState } from 'react';

export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
}: {
  /** Accessible name of the first button, e.g. `Delete project "Alpha"`. */
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
