export interface PracticeArea {
  id: string;
  name: string;
  code?: string;
  category?: string;
}

/** A UTBMS code enabled in Clio (task `L110`, activity `A103`, expense `E101`). */
export interface UtbmsCode {
  id: string;
  code: string;
  name?: string;
  /** `UtbmsTask`, `UtbmsActivity` or `UtbmsExpense`. */
  type: string;
  setId?: string;
}
